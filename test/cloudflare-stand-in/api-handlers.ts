import type { BroadcastSimulator } from './broadcast-simulator';
import { cloudflareErrors, successEnvelope } from './cloudflare-errors';
import type { LiveInputRecord, LiveInputSettings, VideoState } from './live-input-model';
import type { LiveInputStore } from './live-input-store';
import { liveInputListItemView, liveInputView, outputView, videoView, type PublicEndpoints } from './live-input-views';

export interface ApiRequest {
  pathParams: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  idempotencyKey?: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface ApiDependencies {
  store: LiveInputStore;
  simulator: BroadcastSimulator;
  endpoints: PublicEndpoints;
  /** The live input's `status` in the shape chosen for it. */
  statusOf: (record: LiveInputRecord) => unknown;
}

type Handler = (request: ApiRequest) => ApiResponse;

const ok = (result: unknown, extra?: Record<string, unknown>): ApiResponse => ({
  status: 200,
  body: successEnvelope(result, extra),
});

/** Output destinations Cloudflare restreams to: RTMP(S) and SRT only. */
const OUTPUT_URL = /^(rtmps?|srt):\/\/[^\s/]+/i;

/** One handler per operationId; requests reach them already authenticated and schema-valid. */
export function createApiHandlers({ store, simulator, endpoints, statusOf }: ApiDependencies): Record<string, Handler> {
  const single = (record: LiveInputRecord) => ok(liveInputView(record, endpoints, statusOf(record)));
  const inputId = (request: ApiRequest) => request.pathParams.live_input_identifier;
  const videosNewestFirst = (uid: string) => [...store.videosOf(uid)].sort((a, b) => b.createdAt - a.createdAt);

  return {
    'stream-live-inputs-list-live-inputs': () => {
      const inputs = store.list();
      return ok({ liveInputs: inputs.map(liveInputListItemView), range: inputs.length, total: inputs.length });
    },

    'stream-live-inputs-create-a-live-input': (request) => {
      const settings = request.body as LiveInputSettings;
      return single(
        request.idempotencyKey === undefined ? store.create(settings) : store.createIdempotent(request.idempotencyKey, settings),
      );
    },

    'stream-live-inputs-retrieve-a-live-input': (request) => single(store.get(inputId(request))),

    'stream-live-inputs-update-a-live-input': (request) => {
      const record = store.update(inputId(request), request.body as LiveInputSettings);
      // A disabled input "rejects incoming RTMPS and SRT connections and ends active broadcasts".
      if (!record.enabled && simulator.isOnAir(record)) simulator.endBroadcast(record);
      return single(record);
    },

    'stream-live-inputs-delete-a-live-input': (request) => {
      const record = store.get(inputId(request));
      if (simulator.isOnAir(record)) simulator.endBroadcast(record);
      store.delete(record.uid);
      return ok(null);
    },

    'stream-live-inputs-rotate-keys-for-a-live-input': (request) => {
      const record = store.get(inputId(request));
      // The old credentials stop working: broadcasts using them are disconnected.
      if (simulator.isOnAir(record)) simulator.endBroadcast(record);
      return single(store.rotateKeys(record.uid));
    },

    'stream-live-inputs-list-all-outputs-associated-with-a-specified-live-input': (request) =>
      ok([...store.get(inputId(request)).outputs.values()].map(outputView)),

    'stream-live-inputs-create-a-new-output,-connected-to-a-live-input': (request) => {
      const body = request.body as { url: string; streamKey: string; enabled?: boolean };
      store.get(inputId(request));
      if (!OUTPUT_URL.test(body.url)) throw cloudflareErrors.invalid([`url: must be an rtmp://, rtmps:// or srt:// URL`]);
      return ok(outputView(store.addOutput(inputId(request), body)));
    },

    'stream-live-inputs-update-an-output': (request) => {
      const body = request.body as Record<string, unknown>;
      const extra = Object.keys(body).filter((key) => key !== 'enabled');
      const output = store.getOutput(inputId(request), request.pathParams.output_identifier);
      if (extra.length > 0) throw cloudflareErrors.invalid(extra.map((key) => `${key}: an output's update accepts only enabled`));
      output.enabled = body.enabled as boolean;
      return ok(outputView(output));
    },

    'stream-live-inputs-delete-an-output': (request) => {
      store.deleteOutput(inputId(request), request.pathParams.output_identifier);
      return ok(null);
    },

    'x-stream-live-inputs-list-videos': (request) => {
      const videos = videosNewestFirst(store.get(inputId(request)).uid);
      return ok(
        videos.map((v) => videoView(v, endpoints.deliveryOrigin)),
        { range: videos.length, total: videos.length },
      );
    },

    'stand-in-stream-list-videos': (request) => {
      const query = request.query as {
        live_input_id?: string;
        status?: VideoState;
        asc?: boolean;
        limit?: number;
        after?: string;
        before?: string;
      };
      const after = query.after ? Date.parse(query.after) : -Infinity;
      const before = query.before ? Date.parse(query.before) : Infinity;
      const matching = store
        .listVideos({ liveInput: query.live_input_id, state: query.status })
        .filter((v) => v.createdAt > after && v.createdAt < before)
        .sort((a, b) => (query.asc ? a.createdAt - b.createdAt : b.createdAt - a.createdAt));
      const page = matching.slice(0, query.limit ?? 1000);
      return ok(
        page.map((v) => videoView(v, endpoints.deliveryOrigin)),
        { range: page.length, total: matching.length },
      );
    },
  };
}
