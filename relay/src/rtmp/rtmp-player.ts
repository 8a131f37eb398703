import { RtmpConnection, RtmpError, type MediaKind } from './rtmp-connection';
import { parseRtmpUrl } from './rtmp-url';

/**
 * Plays one live stream from our own nginx-rtmp (the glasses' publish) and hands over every
 * audio, video and data message as it arrives. Attaching takes a few milliseconds, so started from
 * on_publish it receives the glasses' first keyframe.
 */

export interface PlayedMessage {
  kind: MediaKind;
  /** The publisher's own timestamp, as nginx-rtmp passes it on. */
  timestamp: number;
  payload: Buffer;
}

export interface RtmpPlayer {
  /** Ends the session; no message is handed over after it. */
  close(): void;
}

export async function playRtmp(
  url: string,
  handlers: { onMessage(message: PlayedMessage): void; onClose(error: Error): void },
  timeoutMs = 5000,
): Promise<RtmpPlayer> {
  const target = parseRtmpUrl(url, 'first-segment');
  const connection = await RtmpConnection.open(target, timeoutMs);
  let open = true;
  connection.events = {
    onMedia: (kind, timestamp, payload) => {
      if (open) handlers.onMessage({ kind, timestamp, payload });
    },
    onClose: (error) => {
      if (open) handlers.onClose(error);
      open = false;
    },
  };
  const created = await connection.call(0, 'createStream', null);
  const streamId = typeof created.args[1] === 'number' ? created.args[1] : 1;
  if (created.name !== '_result') {
    connection.destroy(new RtmpError('createStream refused'));
    throw new RtmpError('createStream refused');
  }
  connection.send(streamId, 'play', 0, null, target.streamName, -1000);
  return {
    close: () => {
      open = false;
      connection.destroy(new RtmpError('closed by the relay'));
    },
  };
}
