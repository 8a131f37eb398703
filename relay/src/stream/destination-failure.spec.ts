import { classifyDestinationFailure, type DestinationFailure } from './destination-failure';

const HOST = 'a.rtmp.example.com';
const classify = (failure: DestinationFailure) => classifyDestinationFailure(failure, HOST);

describe('classifyDestinationFailure', () => {
  it.each<[string, DestinationFailure, string, RegExp]>([
    ['a name that does not resolve', { stage: 'socket', errno: 'ENOTFOUND' }, 'dns_failed', /does not resolve/],
    ['a temporary DNS failure', { stage: 'socket', errno: 'EAI_AGAIN' }, 'dns_failed', /spelling/],
    ['a closed port', { stage: 'socket', errno: 'ECONNREFUSED' }, 'connection_refused', /refused the connection.*port/],
    ['no answer to the TCP connect', { stage: 'socket', timedOut: true }, 'connection_timeout', /did not answer.*firewall/],
    ['an unreachable network', { stage: 'socket', errno: 'EHOSTUNREACH' }, 'connection_timeout', /did not answer/],
    ['a self-signed certificate', { stage: 'socket', errno: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'tls_failed', /certificate/],
    ['a certificate for another name', { stage: 'socket', errno: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls_failed', /secure/],
    ['TLS to a plain port', { stage: 'socket', errno: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'tls_failed', /rtmps/],
    ['a silent RTMP handshake', { stage: 'handshake', timedOut: true }, 'connection_timeout', /RTMP handshake in time/],
    [
      'a refused application',
      { stage: 'connect', status: 'NetConnection.Connect.Rejected', description: 'no such app' },
      'key_rejected',
      /application path.*server URL/,
    ],
    [
      'a refused publish',
      { stage: 'publish', status: 'NetStream.Publish.BadName', description: 'bad key' },
      'key_rejected',
      /refused the stream key \(NetStream\.Publish\.BadName bad key\)/,
    ],
    [
      'a connection dropped at the publish (nginx on_publish 4xx)',
      { stage: 'publish' },
      'key_rejected',
      /closed the connection when asked to publish/,
    ],
    ['a publish that is never answered', { stage: 'publish', timedOut: true }, 'connection_timeout', /publish in time/],
    [
      'a platform holding the old session',
      { stage: 'publish', status: 'NetStream.Publish.BadName', description: 'Already publishing' },
      'already_publishing',
      /earlier session/,
    ],
    [
      'a publish accepted then closed before any media',
      { stage: 'streaming', mediaBytesSent: 0 },
      'key_rejected',
      /before taking any video/,
    ],
    [
      'a close while broadcasting',
      { stage: 'streaming', mediaBytesSent: 90_000, errno: 'ECONNRESET' },
      'disconnected',
      /ECONNRESET/,
    ],
    [
      'a destination that stopped reading',
      { stage: 'streaming', stalled: true, mediaBytesSent: 90_000 },
      'stalled',
      /stopped reading/,
    ],
    ['a close in the handshake', { stage: 'handshake', errno: 'ECONNRESET' }, 'unknown', /RTMP handshake/],
  ])('%s', (_, failure, code, message) => {
    const classified = classify(failure);
    expect(classified.code).toBe(code);
    expect(classified.message).toMatch(message);
    expect(classified.message).toContain(HOST);
  });
});
