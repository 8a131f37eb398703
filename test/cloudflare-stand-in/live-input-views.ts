import type {
  ConnectionRecord,
  LiveInputRecord,
  LiveInputStatusValue,
  OutputRecord,
  StatusShape,
  VideoRecord,
} from './live-input-model';

/** Where the stand-in says broadcasters and players connect (Cloudflare's hosts by default). */
export interface PublicEndpoints {
  rtmpsUrl: string;
  srtUrl: string;
  /** `https://customer-<code>.cloudflarestream.com` */
  deliveryOrigin: string;
}

export const CLOUDFLARE_ENDPOINTS = {
  rtmpsUrl: 'rtmps://live.cloudflare.com:443/live/',
  srtUrl: 'srt://live.cloudflare.com:778',
} as const;

const iso = (ms: number): string => new Date(ms).toISOString();

/** `stream_live_input`: a single input with its credentials. */
export function liveInputView(record: LiveInputRecord, endpoints: PublicEndpoints, status: unknown) {
  const { credentials: keys } = record;
  return {
    uid: record.uid,
    rtmps: { url: endpoints.rtmpsUrl, streamKey: keys.rtmpsStreamKey },
    rtmpsPlayback: { url: endpoints.rtmpsUrl, streamKey: keys.rtmpsPlaybackKey },
    srt: { url: endpoints.srtUrl, streamId: keys.srtStreamId, passphrase: keys.srtPassphrase },
    srtPlayback: { url: endpoints.srtUrl, streamId: keys.srtPlaybackStreamId, passphrase: keys.srtPlaybackPassphrase },
    webRTC: { url: `${endpoints.deliveryOrigin}/${keys.webRTCKey}/webRTC/publish` },
    webRTCPlayback: { url: `${endpoints.deliveryOrigin}/${keys.webRTCPlaybackKey}/webRTC/play` },
    created: iso(record.createdAt),
    modified: iso(record.modifiedAt),
    meta: record.meta,
    recording: { ...record.recording },
    ...(record.deleteRecordingAfterDays !== null ? { deleteRecordingAfterDays: record.deleteRecordingAfterDays } : {}),
    status,
    enabled: record.enabled,
    preferLowLatency: record.preferLowLatency,
    // The schema: "Omitted for live inputs that have never had their keys rotated."
    ...(record.keysRotatedAt !== null ? { keysRotatedAt: iso(record.keysRotatedAt) } : {}),
  };
}

/** `stream_live_input_object_without_url`: an item of the list. */
export function liveInputListItemView(record: LiveInputRecord) {
  return {
    uid: record.uid,
    created: iso(record.createdAt),
    modified: iso(record.modifiedAt),
    meta: record.meta,
    ...(record.deleteRecordingAfterDays !== null ? { deleteRecordingAfterDays: record.deleteRecordingAfterDays } : {}),
    enabled: record.enabled,
  };
}

export function outputView(output: OutputRecord) {
  return { uid: output.uid, url: output.url, streamKey: output.streamKey, enabled: output.enabled };
}

/** The schema's enum value for a connection, or null before the first connection. */
export function statusValue(connection: ConnectionRecord): LiveInputStatusValue | null {
  if (connection.statusOverride) return connection.statusOverride;
  switch (connection.state) {
    case 'idle':
      return null;
    case 'connected':
      return 'connected';
    case 'reconnecting':
      return 'reconnecting';
    case 'disconnected':
      return 'client_disconnect';
    case 'errored':
      // Cloudflare's documentation: an input fed a stream it cannot package still says "connected".
      return 'connected';
  }
}

/** `status` in the shape asked for; the object shapes follow what cloudflare-go#4211 recorded. */
export function statusView(connection: ConnectionRecord, shape: StatusShape, now: number): unknown {
  const value = statusValue(connection);
  if (value === null || shape === 'string') return value;
  const live = value !== 'client_disconnect' && value !== 'ttl_exceeded';
  const current = live
    ? {
        ingestProtocol: connection.ingestProtocol,
        reason: value,
        state: value === 'reconnected' ? 'connected' : value,
        statusEnteredAt: iso(connection.enteredAt),
        statusLastSeen: iso(now),
      }
    : // Observed after the broadcaster stopped: only the protocol and the reason remain.
      { ingestProtocol: connection.ingestProtocol, reason: value };
  const object = { current, history: [] };
  return shape === 'object' ? object : JSON.stringify(object);
}

/** `stream_videos`: a live (or recorded) video of a live input. */
export function videoView(video: VideoRecord, deliveryOrigin: string) {
  const ready = video.state === 'ready';
  const scheduledDeletion =
    ready && video.readyAt !== undefined && video.deleteRecordingAfterDays !== null
      ? { scheduledDeletion: iso(video.readyAt + video.deleteRecordingAfterDays * 86_400_000) }
      : {};
  return {
    uid: video.uid,
    liveInput: video.liveInput,
    created: iso(video.createdAt),
    modified: iso(video.modifiedAt),
    uploaded: iso(video.createdAt),
    meta: { name: video.name },
    status: { state: video.state, errorReasonCode: '', errorReasonText: '', ...(ready ? { pctComplete: '100.000000' } : {}) },
    readyToStream: ready,
    ...(ready && video.readyAt !== undefined ? { readyToStreamAt: iso(video.readyAt) } : {}),
    ...scheduledDeletion,
    duration: ready ? video.durationSeconds : -1,
    input: ready ? { width: 1280, height: 720 } : { width: -1, height: -1 },
    size: 0,
    allowedOrigins: video.allowedOrigins,
    requireSignedURLs: video.requireSignedURLs,
    thumbnailTimestampPct: 0,
    thumbnail: `${deliveryOrigin}/${video.uid}/thumbnails/thumbnail.jpg`,
    preview: `${deliveryOrigin}/${video.uid}/watch`,
    playback: {
      hls: `${deliveryOrigin}/${video.uid}/manifest/video.m3u8`,
      dash: `${deliveryOrigin}/${video.uid}/manifest/video.mpd`,
    },
  };
}
