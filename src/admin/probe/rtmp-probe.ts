import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, isIP, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { buildC0C1, buildC2, HANDSHAKE_SIZE, readServerHandshake } from './rtmp-handshake';

export interface ProbeAddress {
  protocol: 'rtmp' | 'rtmps';
  host: string;
  /** The resolved address to connect to (checked by the host policy beforehand). */
  address: string;
  port: number;
}

export interface ProbeReport {
  ok: boolean;
  tcpConnectMs: number | null;
  tls: boolean;
  tlsError?: string;
  rtmpHandshake: 'ok' | 'failed';
  serverVersion?: string;
  message: string;
}

export interface ProbeOptions {
  timeoutMs?: number;
  /** Extra trust for TLS (tests with their own certificate authority). */
  ca?: string | Buffer;
}

class StepFailed extends Error {}

const ignore = (): void => undefined;

/** Pure: what a socket error means to someone setting up a destination. */
export function describeConnectError(error: NodeJS.ErrnoException, where: string, timeoutMs: number): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where}: nothing accepts connections on that port`;
    case 'ETIMEDOUT':
      return `no answer from ${where} within ${timeoutMs / 1000} s (a firewall, or the wrong host or port)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached from this server (${error.code})`;
    case 'ECONNRESET':
      return `${where} reset the connection`;
    default:
      return `could not connect to ${where}: ${error.message}`;
  }
}

function timedOut(): NodeJS.ErrnoException {
  return Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
}

/**
 * Knocks on an RTMP(S) ingest: TCP connect, TLS for rtmps, then the RTMP handshake, and hangs
 * up before any connect/publish command, so nothing is ever broadcast.
 */
@Injectable()
export class RtmpProbe {
  async probe(target: ProbeAddress, options: ProbeOptions = {}): Promise<ProbeReport> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const where = `${isIP(target.address) === 6 ? `[${target.address}]` : target.address}:${target.port}`;
    const report: ProbeReport = { ok: false, tcpConnectMs: null, tls: false, rtmpHandshake: 'failed', message: '' };
    let socket: Socket | null = null;
    try {
      const started = performance.now();
      try {
        socket = await this.connect(target, timeoutMs);
      } catch (error) {
        throw new StepFailed(describeConnectError(error as NodeJS.ErrnoException, where, timeoutMs));
      }
      report.tcpConnectMs = Math.round(performance.now() - started);
      if (target.protocol === 'rtmps') {
        try {
          socket = await this.startTls(socket, target.host, timeoutMs, options.ca);
          report.tls = true;
        } catch (error) {
          const failure = error as NodeJS.ErrnoException;
          report.tlsError =
            failure.code && !failure.message.includes(failure.code) ? `${failure.code}: ${failure.message}` : failure.message;
          throw new StepFailed(`TLS with ${target.host} failed (${report.tlsError}); is this an rtmps:// ingest?`);
        }
      }
      const { serverVersion } = await this.handshake(socket, timeoutMs, where);
      report.ok = true;
      report.rtmpHandshake = 'ok';
      if (serverVersion) report.serverVersion = serverVersion;
      report.message = `${where} accepted the RTMP handshake${report.tls ? ' over TLS' : ''}${serverVersion ? ` (server version ${serverVersion})` : ''}; nothing was published`;
    } catch (error) {
      if (!(error instanceof StepFailed)) throw error;
      report.message = error.message;
    } finally {
      socket?.destroy();
    }
    return report;
  }

  private connect(target: ProbeAddress, timeoutMs: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: target.address, port: target.port });
      // Each step listens for errors while it runs; between steps an error must not crash the process.
      socket.on('error', ignore);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(timedOut());
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  private startTls(socket: Socket, host: string, timeoutMs: number, ca?: string | Buffer): Promise<TLSSocket> {
    return new Promise((resolve, reject) => {
      // `host` is what the certificate must name (over a given socket it would default to localhost).
      const secure = tlsConnect({ socket, host, servername: isIP(host) ? undefined : host, rejectUnauthorized: true, ca });
      secure.on('error', ignore);
      const timer = setTimeout(() => {
        secure.destroy();
        reject(Object.assign(new Error(`no TLS answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(secure);
      });
      secure.once('error', (error: Error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  private handshake(socket: Socket, timeoutMs: number, where: string): Promise<{ serverVersion: string | null }> {
    const c0c1 = buildC0C1(randomBytes(HANDSHAKE_SIZE - 8));
    const c1 = c0c1.subarray(1);
    return new Promise((resolve, reject) => {
      let received = Buffer.alloc(0);
      const fail = (message: string): void => {
        cleanup();
        reject(new StepFailed(message));
      };
      const timer = setTimeout(
        () => fail(`${where} accepted the connection but did not complete the RTMP handshake within ${timeoutMs / 1000} s`),
        timeoutMs,
      );
      const onData = (chunk: Buffer): void => {
        received = Buffer.concat([received, chunk]);
        const reading = readServerHandshake(received, c1);
        if (reading.state === 'incomplete') return;
        if (reading.state === 'not-rtmp') return fail(`${where}: ${reading.reason}`);
        cleanup();
        socket.write(buildC2(reading.s1), () => resolve({ serverVersion: reading.serverVersion }));
      };
      const onClose = (): void =>
        fail(`${where} closed the connection during the RTMP handshake (after ${received.length} bytes): not an RTMP ingest?`);
      const onError = (error: NodeJS.ErrnoException): void => fail(describeConnectError(error, where, timeoutMs));
      const cleanup = (): void => {
        clearTimeout(timer);
        socket.off('data', onData).off('end', onClose).off('close', onClose).off('error', onError);
      };
      socket.on('data', onData).once('end', onClose).once('close', onClose).once('error', onError);
      socket.write(c0c1);
    });
  }
}
