import type { ConnectionTestResult } from '../types';

/** What a test connection found, step by step, without ever publishing video. */
export function ConnectionTestReport({ result }: { result: ConnectionTestResult }) {
  return (
    <div className={`notice ${result.ok ? 'notice-success' : 'notice-error'} connection-test`} role="status">
      <strong>{result.ok ? 'Connection OK' : 'Connection failed'}</strong>: {result.message}
      <dl className="facts">
        <dt>URL</dt>
        <dd>{result.url}</dd>
        <dt>Address</dt>
        <dd>{result.resolvedAddress ?? '—'}</dd>
        <dt>TCP connect</dt>
        <dd>
          {result.tcpConnectMs === null || result.tcpConnectMs === undefined ? '—' : `${Math.round(result.tcpConnectMs)} ms`}
        </dd>
        <dt>TLS</dt>
        <dd>
          {result.tls ? 'yes' : 'no'}
          {result.tlsError ? ` (${result.tlsError})` : ''}
        </dd>
        <dt>RTMP handshake</dt>
        <dd>{result.rtmpHandshake}</dd>
        {result.serverVersion ? (
          <>
            <dt>Server</dt>
            <dd>{result.serverVersion}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
