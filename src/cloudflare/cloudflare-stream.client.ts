import { Inject, Injectable } from '@nestjs/common';
import Cloudflare from 'cloudflare';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { CallPriority, CloudflareApiBudget } from './cloudflare-api-budget';
import { classifyCloudflareError } from './cloudflare-errors';

export interface LiveInputMeta {
  name: string;
  service: 'glasses-restream';
  streamId: string;
  userId: string;
}

export interface CreatedLiveInput {
  uid: string;
  rtmpsUrl: string;
  rtmpsStreamKey: string;
  webRtcUrl: string | null;
}

export interface LiveInputSnapshot {
  uid: string;
  /** Whatever Cloudflare sent: a state string, an object, a JSON string of an object, or null. */
  status: unknown;
  meta: unknown;
}

export interface LiveInputSummary {
  uid: string;
  meta: unknown;
  created: string | null;
}

export interface LiveVideo {
  uid: string;
  liveInputId: string | null;
  state: string | null;
  hls: string | null;
  dash: string | null;
  created: string | null;
}

export const LIVE_VIDEO_PAGE_SIZE = 1000;

/**
 * The one door to Cloudflare Stream: every call takes a slot from the shared budget first and
 * errors come out classified. The SDK's own retries are off, since they would bypass the budget.
 */
@Injectable()
export class CloudflareStreamClient {
  private readonly sdk: Cloudflare | null;
  private readonly accountId: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly budget: CloudflareApiBudget,
  ) {
    this.accountId = config.CLOUDFLARE_ACCOUNT_ID ?? '';
    this.sdk = config.CLOUDFLARE_API_TOKEN
      ? new Cloudflare({
          apiToken: config.CLOUDFLARE_API_TOKEN,
          baseURL: config.CLOUDFLARE_API_BASE_URL,
          maxRetries: 0,
          timeout: config.CLOUDFLARE_TIMEOUT_MS,
        })
      : null;
  }

  get configured(): boolean {
    return this.sdk !== null;
  }

  async createLiveInput(meta: LiveInputMeta): Promise<CreatedLiveInput> {
    const input = await this.call('create live input', 'interactive', (sdk) =>
      sdk.stream.liveInputs.create({
        account_id: this.accountId,
        meta,
        recording: { mode: 'automatic' },
        ...(this.config.CLOUDFLARE_DELETE_RECORDING_AFTER_DAYS
          ? { deleteRecordingAfterDays: this.config.CLOUDFLARE_DELETE_RECORDING_AFTER_DAYS }
          : {}),
      }),
    );
    if (!input.uid || !input.rtmps?.url || !input.rtmps.streamKey) {
      throw classifyCloudflareError('create live input', new Error('Cloudflare returned a live input without RTMPS details'));
    }
    return {
      uid: input.uid,
      rtmpsUrl: input.rtmps.url,
      rtmpsStreamKey: input.rtmps.streamKey,
      webRtcUrl: input.webRTC?.url ?? null,
    };
  }

  async getLiveInput(uid: string, priority: CallPriority = 'background'): Promise<LiveInputSnapshot> {
    const input = await this.call('get live input', priority, (sdk) =>
      sdk.stream.liveInputs.get(uid, { account_id: this.accountId }),
    );
    return { uid, status: input.status ?? null, meta: input.meta ?? null };
  }

  async listLiveInputs(): Promise<LiveInputSummary[]> {
    const result = await this.call('list live inputs', 'background', (sdk) =>
      sdk.stream.liveInputs.list({ account_id: this.accountId }),
    );
    return (result.liveInputs ?? []).map((input) => ({
      uid: input.uid ?? '',
      meta: input.meta ?? null,
      created: input.created ?? null,
    }));
  }

  async deleteLiveInput(uid: string, priority: CallPriority = 'interactive'): Promise<void> {
    await this.call('delete live input', priority, (sdk) => sdk.stream.liveInputs.delete(uid, { account_id: this.accountId }));
  }

  async createOutput(liveInputId: string, output: { url: string; streamKey: string; enabled: boolean }): Promise<string> {
    const created = await this.call('create output', 'interactive', (sdk) =>
      sdk.stream.liveInputs.outputs.create(liveInputId, { account_id: this.accountId, ...output }),
    );
    if (!created.uid) throw classifyCloudflareError('create output', new Error('Cloudflare returned an output without uid'));
    return created.uid;
  }

  async listOutputs(liveInputId: string): Promise<{ uid: string; url: string; enabled: boolean }[]> {
    const page = await this.call('list outputs', 'interactive', (sdk) =>
      sdk.stream.liveInputs.outputs.list(liveInputId, { account_id: this.accountId }),
    );
    return page.result.map((output) => ({ uid: output.uid ?? '', url: output.url ?? '', enabled: output.enabled ?? true }));
  }

  async setOutputEnabled(liveInputId: string, outputId: string, enabled: boolean): Promise<void> {
    await this.call('update output', 'interactive', (sdk) =>
      sdk.stream.liveInputs.outputs.update(outputId, {
        account_id: this.accountId,
        live_input_identifier: liveInputId,
        enabled,
      }),
    );
  }

  async deleteOutput(liveInputId: string, outputId: string, priority: CallPriority = 'interactive'): Promise<void> {
    await this.call('delete output', priority, (sdk) =>
      sdk.stream.liveInputs.outputs.delete(outputId, { account_id: this.accountId, live_input_identifier: liveInputId }),
    );
  }

  /** Videos of one live input (the live one carries the playback URLs). */
  async listVideosOfInput(liveInputId: string, priority: CallPriority = 'background'): Promise<LiveVideo[]> {
    const page = await this.call('list videos', priority, (sdk) =>
      sdk.stream.list({ account_id: this.accountId, live_input_id: liveInputId }),
    );
    return page.result.map(toLiveVideo);
  }

  /**
   * Every video of the account that is live right now, one listing call per 1,000 videos: far
   * cheaper than asking each live input (a listing costs the same one call as a single get).
   */
  async listLiveVideos(): Promise<LiveVideo[]> {
    const videos = new Map<string, LiveVideo>();
    let after: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await this.call('list live videos', 'listing', (sdk) =>
        sdk.stream.list({
          account_id: this.accountId,
          status: 'live-inprogress',
          asc: true,
          limit: LIVE_VIDEO_PAGE_SIZE,
          ...(after ? { after } : {}),
        }),
      );
      const batch = result.result.map(toLiveVideo);
      const before = videos.size;
      for (const video of batch) videos.set(video.uid, video);
      const last = batch.at(-1)?.created;
      if (batch.length < LIVE_VIDEO_PAGE_SIZE || !last || videos.size === before) break;
      // `after` is strict and timestamps repeat: step back a millisecond and drop the repeats.
      after = new Date(Date.parse(last) - 1).toISOString();
    }
    return [...videos.values()];
  }

  private async call<T>(operation: string, priority: CallPriority, run: (sdk: Cloudflare) => Promise<T>): Promise<T> {
    if (!this.sdk) throw classifyCloudflareError(operation, new Error('Cloudflare is not configured'));
    try {
      await this.budget.take(priority);
      return await run(this.sdk);
    } catch (error) {
      const classified = classifyCloudflareError(operation, error);
      if (classified.rateLimited && classified.status === 429 && error instanceof Cloudflare.APIError) {
        await this.budget.lockOut();
      }
      throw classified;
    }
  }
}

interface SdkVideo {
  uid?: string;
  liveInput?: string;
  status?: { state?: string };
  playback?: { hls?: string; dash?: string };
  created?: string;
}

function toLiveVideo(video: SdkVideo): LiveVideo {
  return {
    uid: video.uid ?? '',
    liveInputId: video.liveInput ?? null,
    state: video.status?.state ?? null,
    hls: video.playback?.hls ?? null,
    dash: video.playback?.dash ?? null,
    created: video.created ?? null,
  };
}
