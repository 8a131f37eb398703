import type { DestinationErrorCode } from '../../protocol/relay-protocol.schemas';
import type { RtmpStage } from '../rtmp/rtmp-connection';

/** What is known of a failed attempt where it happened: the RTMP stage and the socket's or server's words. */
export interface DestinationFailure {
  stage: RtmpStage;
  /** Node's error code: ENOTFOUND, ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, ERR_SSL_… */
  errno?: string;
  /** Our own timer ran out at this stage. */
  timedOut?: boolean;
  /** The server's status answer (NetStream.Publish.BadName) and its description. */
  status?: string;
  description?: string;
  /** The destination stopped taking bytes while we had some to send. */
  stalled?: boolean;
  /** Media bytes handed to the destination in this session (streaming stage). */
  mediaBytesSent?: number;
}

export interface ClassifiedFailure {
  code: DestinationErrorCode;
  /** What to check, in plain words; built from the host only, never the key. */
  message: string;
}

const DNS_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const UNREACHABLE = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);
const TLS_ERROR = /CERT|SSL|TLS|EPROTO|ALTNAME|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)/i;
const ALREADY_PUBLISHING = /already publishing|already in use|stream.*busy/i;

/** Maps a failed attempt to a code and a message a person can act on. Pure: the relay's one classification. */
export function classifyDestinationFailure(failure: DestinationFailure, host: string): ClassifiedFailure {
  const { stage, errno } = failure;
  if (failure.stalled) {
    return {
      code: 'stalled',
      message: `${host} stopped reading the stream: the platform or the network to it is overloaded; the relay reconnects`,
    };
  }
  if (errno && DNS_ERRORS.has(errno)) {
    return { code: 'dns_failed', message: `the host name ${host} does not resolve: check the spelling of the server URL` };
  }
  if (errno === 'ECONNREFUSED') {
    return {
      code: 'connection_refused',
      message: `${host} refused the connection: check the server URL and port, and that the platform's ingest is up`,
    };
  }
  if (errno && TLS_ERROR.test(errno)) {
    return {
      code: 'tls_failed',
      message: `the secure connection to ${host} failed (${errno}): check that the URL uses rtmps:// only for servers with a valid certificate`,
    };
  }
  if (stage === 'socket' && (failure.timedOut || (errno && UNREACHABLE.has(errno)))) {
    return {
      code: 'connection_timeout',
      message: `${host} did not answer: check the server URL, and that this network may reach it (firewall)`,
    };
  }
  const answer = [failure.status, failure.description].filter(Boolean).join(' ');
  if (ALREADY_PUBLISHING.test(answer)) {
    return {
      code: 'already_publishing',
      message: `${host} still holds an earlier session for this stream key (${answer}): stop any other encoder using it; the relay retries more slowly until the platform lets go`,
    };
  }
  if (failure.timedOut) {
    return {
      code: 'connection_timeout',
      message: `${host} accepted the connection but did not answer the ${stage === 'publish' ? 'publish' : 'RTMP handshake'} in time: check the port is the platform's RTMP ingest`,
    };
  }
  if (stage === 'connect' && failure.status) {
    return {
      code: 'key_rejected',
      message: `${host} refused the application path (${answer}): check the server URL`,
    };
  }
  if (stage === 'publish') {
    return {
      code: 'key_rejected',
      message: failure.status
        ? `${host} refused the stream key (${answer}): check the stream key, and that the live event is set up on the platform`
        : `${host} closed the connection when asked to publish: check the stream key, and that the live event is set up on the platform`,
    };
  }
  if (stage === 'streaming' && failure.mediaBytesSent === 0) {
    return {
      code: 'key_rejected',
      message: `${host} accepted the publish but closed before taking any video: usually a wrong or expired stream key`,
    };
  }
  if (stage === 'streaming') {
    return {
      code: 'disconnected',
      message: `${host} ended the connection while broadcasting${errno ? ` (${errno})` : ''}: the relay reconnects; if it repeats, check the platform's stream health page`,
    };
  }
  return {
    code: 'unknown',
    message: `the connection to ${host} failed during the ${stage === 'handshake' ? 'RTMP handshake' : stage} stage${errno ? ` (${errno})` : ''}: check the server URL`,
  };
}
