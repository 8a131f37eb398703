import { encodeAmf0 } from './amf0';
import { describeCommand, RtmpConnection, RtmpError, statusDetails, withStage, type MediaKind } from './rtmp-connection';
import { parseRtmpUrl, type RtmpTarget } from './rtmp-url';

/**
 * Publishes to one destination (rtmp:// or rtmps://) the way FFmpeg and OBS do: releaseStream,
 * FCPublish, createStream, publish(name, "live"), then media. The key lives only in this process's
 * memory and on the wire: no command line ever holds it.
 */

export interface RtmpPublishSession {
  /** false when the socket buffer is full; the caller decides what to drop. */
  send(kind: MediaKind, timestamp: number, payload: Buffer): boolean;
  /** Bytes queued for a peer that has not read them yet. */
  readonly backlogBytes: number;
  readonly closed: boolean;
  onDrain(listener: () => void): void;
  /** A proper end of stream (FCUnpublish, deleteStream), then the connection closes. */
  finish(): Promise<void>;
  destroy(reason: Error): void;
}

export interface PublishOptions {
  timeoutMs?: number;
  /** Certificates trusted for rtmps:// (the system's roots plus any private CA). */
  ca?: readonly string[];
}

export async function publishRtmp(
  url: string,
  onClose: (error: Error) => void,
  options: PublishOptions = {},
): Promise<RtmpPublishSession> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const target: RtmpTarget = parseRtmpUrl(url, 'ffmpeg');
  const connection = await RtmpConnection.open(target, timeoutMs, { ca: options.ca });
  let finished = false;
  let publishStatus: ((code: string, description: string) => void) | null = null;
  connection.events = {
    onStatus: (code, description) => publishStatus?.(code, description),
    onClose: (error) => {
      if (!finished) onClose(error);
    },
  };
  const timer = setTimeout(
    () =>
      connection.destroy(new RtmpError(`the destination did not accept the publish within ${timeoutMs} ms`, { timedOut: true })),
    timeoutMs,
  );
  let streamId = 1;
  connection.stage = 'publish';
  try {
    connection.send(0, 'releaseStream', 0, null, target.streamName);
    connection.send(0, 'FCPublish', 0, null, target.streamName);
    const created = await connection.call(0, 'createStream', null);
    if (created.name !== '_result') {
      throw new RtmpError(`createStream refused: ${describeCommand(created)}`, statusDetails(created));
    }
    if (typeof created.args[1] === 'number') streamId = created.args[1];
    await new Promise<void>((resolve, reject) => {
      publishStatus = (code, description) => {
        if (code === 'NetStream.Publish.Start') resolve();
        else if (/^NetStream\.Publish\.|^NetConnection\.|\.Failed$|\.Rejected$/.test(code)) {
          reject(
            new RtmpError(`publish refused: ${code}${description ? ` (${description})` : ''}`, { status: code, description }),
          );
        }
      };
      connection.events.onClose = (error) => reject(error);
      connection.send(streamId, 'publish', 0, null, target.streamName, 'live');
    });
  } catch (error) {
    const failure = withStage(error as Error, connection.stage);
    connection.destroy(failure);
    throw failure;
  } finally {
    clearTimeout(timer);
  }
  connection.stage = 'streaming';
  connection.events = {
    onClose: (error) => {
      if (!finished) onClose(error);
    },
  };
  return {
    send: (kind, timestamp, payload) =>
      connection.sendMedia(streamId, kind, timestamp, kind === 'script' ? Buffer.concat([SET_DATA_FRAME, payload]) : payload),
    get backlogBytes() {
      return connection.writableLength;
    },
    get closed() {
      return connection.closed;
    },
    onDrain: (listener) => connection.onDrain(listener),
    finish: async () => {
      if (finished || connection.closed) return;
      finished = true;
      connection.send(streamId, 'FCUnpublish', 0, null, target.streamName);
      connection.send(0, 'deleteStream', 0, null, streamId);
      connection.end();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          connection.destroy(new RtmpError('closed'));
          resolve();
        }, 2000);
        connection.events.onClose = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    destroy: (reason) => {
      finished = true;
      connection.destroy(reason);
    },
  };
}

const SET_DATA_FRAME = encodeAmf0('@setDataFrame');
