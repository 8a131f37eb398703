/**
 * Pure: the RTMP "simple" handshake (RTMP spec 5.2) from the client side.
 * C0 = version 3; C1 = time(4) + zero(4) + random(1528). The server answers S0 S1 S2, where S2
 * echoes C1; the client answers C2 = S1. Nothing is published: the probe stops there.
 */
export const RTMP_VERSION = 3;
export const HANDSHAKE_SIZE = 1536;

export function buildC0C1(random: Buffer, timeMs = 0): Buffer {
  if (random.length !== HANDSHAKE_SIZE - 8) throw new RangeError(`C1 needs ${HANDSHAKE_SIZE - 8} random bytes`);
  const packet = Buffer.alloc(1 + HANDSHAKE_SIZE);
  packet[0] = RTMP_VERSION;
  packet.writeUInt32BE(timeMs >>> 0, 1);
  random.copy(packet, 9);
  return packet;
}

export type HandshakeReading =
  | { state: 'incomplete' }
  | { state: 'not-rtmp'; reason: string }
  | { state: 'complete'; s1: Buffer; serverVersion: string | null; echoesC1: boolean };

/** Reads what the server sent so far (S0 S1 S2 in one buffer); `c1` is what we sent, without C0. */
export function readServerHandshake(received: Buffer, c1: Buffer): HandshakeReading {
  if (received.length === 0) return { state: 'incomplete' };
  if (received[0] !== RTMP_VERSION) return { state: 'not-rtmp', reason: describeForeignReply(received) };
  if (received.length < 1 + 2 * HANDSHAKE_SIZE) return { state: 'incomplete' };
  const s1 = received.subarray(1, 1 + HANDSHAKE_SIZE);
  const s2 = received.subarray(1 + HANDSHAKE_SIZE, 1 + 2 * HANDSHAKE_SIZE);
  const version = s1.subarray(4, 8);
  return {
    state: 'complete',
    s1: Buffer.from(s1),
    serverVersion: version.every((byte) => byte === 0) ? null : [...version].join('.'),
    // Servers using the digest ("complex") handshake answer with their own S2; both are RTMP.
    echoesC1: s2.subarray(8).equals(c1.subarray(8)),
  };
}

export function buildC2(s1: Buffer): Buffer {
  return Buffer.from(s1);
}

/** Pure: a human explanation of a first reply that is not RTMP. */
export function describeForeignReply(bytes: Buffer): string {
  const head = bytes.subarray(0, 64);
  if (head[0] === 0x15 || head[0] === 0x16) {
    return 'the server answered with TLS: it expects rtmps:// (RTMP over TLS), not rtmp://';
  }
  const text = head.toString('latin1');
  const firstLine = text.split(/\r?\n/)[0];
  if (/^[\x20-\x7e]{4,}$/.test(firstLine)) {
    const http = /^HTTP\/\d(\.\d)? \d{3}/.test(firstLine) ? ' (an HTTP server, not an RTMP ingest)' : '';
    return `the server answered "${firstLine.slice(0, 60)}"${http}, which is not RTMP`;
  }
  const hex = [...head.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
  return `the server answered bytes ${hex}, not the RTMP version byte 03`;
}
