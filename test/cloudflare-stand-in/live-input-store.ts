import { randomBytes } from 'node:crypto';
import { cloudflareErrors } from './cloudflare-errors';
import {
  MAX_OUTPUTS_PER_LIVE_INPUT,
  type LiveInputCredentials,
  type LiveInputRecord,
  type LiveInputSettings,
  type OutputRecord,
  type VideoRecord,
  type VideoState,
} from './live-input-model';

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Cloudflare's stream keys look like `<32 hex>k<32 hex>`. */
const streamKey = (): string => `${randomHex(16)}k${randomHex(16)}`;

export function freshCredentials(): LiveInputCredentials {
  return {
    rtmpsStreamKey: streamKey(),
    rtmpsPlaybackKey: streamKey(),
    srtStreamId: randomHex(16),
    srtPassphrase: streamKey(),
    srtPlaybackStreamId: randomHex(16),
    srtPlaybackPassphrase: streamKey(),
    webRTCKey: streamKey(),
    webRTCPlaybackKey: streamKey(),
  };
}

const IDEMPOTENCY_KEY_LIFETIME_MS = 6 * 3600_000;

/** In-memory live inputs, their outputs and their videos (maps: 10,000 inputs cost nothing). */
export class LiveInputStore {
  private readonly inputs = new Map<string, LiveInputRecord>();
  private readonly videos = new Map<string, VideoRecord>();
  private readonly videosByInput = new Map<string, VideoRecord[]>();
  private readonly idempotencyKeys = new Map<string, { uid: string; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  create(settings: LiveInputSettings): LiveInputRecord {
    const now = this.now();
    const record: LiveInputRecord = {
      uid: randomHex(16),
      createdAt: now,
      modifiedAt: now,
      meta: settings.meta ?? {},
      recording: { mode: 'off', requireSignedURLs: false, timeoutSeconds: 0, hideLiveViewerCount: false, ...settings.recording },
      deleteRecordingAfterDays: settings.deleteRecordingAfterDays ?? null,
      defaultCreator: settings.defaultCreator,
      enabled: settings.enabled ?? true,
      preferLowLatency: settings.preferLowLatency ?? false,
      credentials: freshCredentials(),
      keysRotatedAt: null,
      connection: { state: 'idle', enteredAt: now, ingestProtocol: 'rtmp' },
      outputs: new Map(),
    };
    this.inputs.set(record.uid, record);
    return record;
  }

  /**
   * Create with an `Idempotency-Key` (the SDK's documentation): the key lives six hours after the
   * creation; a retry with it returns the same input, or 409 once that input was deleted.
   */
  createIdempotent(key: string, settings: LiveInputSettings): LiveInputRecord {
    if (Buffer.byteLength(key) > 255) throw cloudflareErrors.invalid(['Idempotency-Key: must be at most 255 bytes']);
    const prior = this.idempotencyKeys.get(key);
    if (prior && prior.expiresAt > this.now()) {
      const existing = this.inputs.get(prior.uid);
      if (!existing) throw cloudflareErrors.idempotencyKeyReused();
      return existing;
    }
    const record = this.create(settings);
    this.idempotencyKeys.set(key, { uid: record.uid, expiresAt: record.createdAt + IDEMPOTENCY_KEY_LIFETIME_MS });
    return record;
  }

  find(uid: string): LiveInputRecord | undefined {
    return this.inputs.get(uid);
  }

  get(uid: string): LiveInputRecord {
    const record = this.inputs.get(uid);
    if (!record) throw cloudflareErrors.notFound('Live input');
    return record;
  }

  list(): LiveInputRecord[] {
    return [...this.inputs.values()];
  }

  /** PUT: fields present replace the stored ones; `recording` merges field by field; omitted fields stay. */
  update(uid: string, settings: LiveInputSettings): LiveInputRecord {
    const record = this.get(uid);
    if (settings.meta !== undefined) record.meta = settings.meta;
    if (settings.recording !== undefined) record.recording = { ...record.recording, ...settings.recording };
    if (settings.deleteRecordingAfterDays !== undefined) record.deleteRecordingAfterDays = settings.deleteRecordingAfterDays;
    if (settings.defaultCreator !== undefined) record.defaultCreator = settings.defaultCreator;
    if (settings.enabled !== undefined) record.enabled = settings.enabled;
    if (settings.preferLowLatency !== undefined) record.preferLowLatency = settings.preferLowLatency;
    record.modifiedAt = this.now();
    return record;
  }

  delete(uid: string): LiveInputRecord {
    const record = this.get(uid);
    this.inputs.delete(uid);
    return record;
  }

  rotateKeys(uid: string): LiveInputRecord {
    const record = this.get(uid);
    record.credentials = freshCredentials();
    record.keysRotatedAt = this.now();
    record.modifiedAt = record.keysRotatedAt;
    return record;
  }

  addOutput(uid: string, output: { url: string; streamKey: string; enabled?: boolean }): OutputRecord {
    const record = this.get(uid);
    if (record.outputs.size >= MAX_OUTPUTS_PER_LIVE_INPUT) throw cloudflareErrors.tooManyOutputs(MAX_OUTPUTS_PER_LIVE_INPUT);
    const created: OutputRecord = {
      uid: randomHex(16),
      url: output.url,
      streamKey: output.streamKey,
      enabled: output.enabled ?? true,
    };
    record.outputs.set(created.uid, created);
    return created;
  }

  getOutput(uid: string, outputUid: string): OutputRecord {
    const output = this.get(uid).outputs.get(outputUid);
    if (!output) throw cloudflareErrors.notFound('Output');
    return output;
  }

  deleteOutput(uid: string, outputUid: string): void {
    this.getOutput(uid, outputUid);
    this.get(uid).outputs.delete(outputUid);
  }

  addVideo(video: VideoRecord): VideoRecord {
    this.videos.set(video.uid, video);
    this.videosByInput.set(video.liveInput, [...(this.videosByInput.get(video.liveInput) ?? []), video]);
    return video;
  }

  /** Videos outlive their live input (Cloudflare keeps recordings when an input is deleted). */
  videosOf(liveInputUid: string): VideoRecord[] {
    return this.videosByInput.get(liveInputUid) ?? [];
  }

  listVideos(filter: { liveInput?: string; state?: VideoState }): VideoRecord[] {
    const candidates = filter.liveInput ? this.videosOf(filter.liveInput) : [...this.videos.values()];
    return candidates.filter((v) => !filter.state || v.state === filter.state);
  }

  clear(): void {
    this.inputs.clear();
    this.videos.clear();
    this.videosByInput.clear();
    this.idempotencyKeys.clear();
  }
}
