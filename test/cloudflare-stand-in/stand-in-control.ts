import { ControlError, driveStateSchema, type BroadcastSimulator, type DriveStateRequest } from './broadcast-simulator';
import type { ActiveFailure, FailureInjector, InjectedFailure } from './failure-injector';
import type { LiveInputRecord, StatusShape } from './live-input-model';
import type { LiveInputStore } from './live-input-store';
import { liveInputView, outputView, videoView, type PublicEndpoints } from './live-input-views';
import type { RateLimiter } from './rate-limiter';
import type { RequestCounters, RequestLogEntry, RequestStats } from './request-stats';
import type { WebhookDelivery, WebhookNotifier, WebhookTarget } from './webhook-notifier';

export interface StandInParts {
  store: LiveInputStore;
  simulator: BroadcastSimulator;
  failures: FailureInjector;
  stats: RequestStats;
  rateLimiter: RateLimiter;
  notifier: WebhookNotifier;
  endpoints: PublicEndpoints;
  statusShape: { default: StatusShape };
  statusOf: (record: LiveInputRecord) => unknown;
}

/** What tests (in-process) and `/__control` (other processes) may do to the stand-in. */
export class StandInControl {
  constructor(private readonly parts: StandInParts) {}

  /** Drives the broadcaster's side: `connected`, `disconnected`, `reconnecting`, `errored` (with a code). */
  setState(liveInputId: string, request: DriveStateRequest) {
    return this.liveInputOf(this.parts.simulator.setState(liveInputId, driveStateSchema.parse(request)));
  }

  /** The live video of a connected, recorded input (null for `recording.mode: "off"`). */
  makeLiveVideoAppear(liveInputId: string) {
    const video = this.parts.simulator.makeLiveVideoAppear(liveInputId);
    return video ? videoView(video, this.parts.endpoints.deliveryOrigin) : null;
  }

  /** The shape of `status` for every input, or for one input when its id is given. */
  setStatusShape(shape: StatusShape, liveInputId?: string): void {
    if (liveInputId === undefined) this.parts.statusShape.default = shape;
    else this.recordOf(liveInputId).statusShape = shape;
  }

  injectFailure(failure: InjectedFailure): ActiveFailure {
    return this.parts.failures.inject(failure);
  }

  failures(): ActiveFailure[] {
    return this.parts.failures.list();
  }

  /** Clears one injected failure, or all of them. */
  clearFailures(id?: number): void {
    this.parts.failures.clear(id);
  }

  counters(): RequestCounters {
    return this.parts.stats.counters();
  }

  requests(): RequestLogEntry[] {
    return this.parts.stats.requests();
  }

  liveInputs() {
    return this.parts.store.list().map((record) => this.liveInputOf(record));
  }

  liveInput(liveInputId: string) {
    return this.liveInputOf(this.recordOf(liveInputId));
  }

  outputs(liveInputId: string) {
    return [...this.recordOf(liveInputId).outputs.values()].map(outputView);
  }

  configureWebhook(target: WebhookTarget | undefined): void {
    this.parts.notifier.configure(target);
  }

  webhookDeliveries(): WebhookDelivery[] {
    return this.parts.notifier.deliveries();
  }

  /** Waits until every notification sent so far has been answered by its target. */
  settleWebhooks(): Promise<void> {
    return this.parts.notifier.settle();
  }

  /** Forgets inputs, videos, counters, the request log, failures, rate-limit windows and deliveries. */
  reset(): void {
    this.parts.store.clear();
    this.parts.stats.reset();
    this.parts.failures.clear();
    this.parts.rateLimiter.reset();
    this.parts.notifier.reset();
  }

  private recordOf(liveInputId: string): LiveInputRecord {
    const record = this.parts.store.find(liveInputId);
    if (!record) throw new ControlError(404, `No live input ${liveInputId}`);
    return record;
  }

  private liveInputOf(record: LiveInputRecord) {
    const { endpoints, store } = this.parts;
    return {
      ...liveInputView(record, endpoints, this.parts.statusOf(record)),
      connectionState: record.connection.state,
      outputs: [...record.outputs.values()].map(outputView),
      videos: store.videosOf(record.uid).map((v) => videoView(v, endpoints.deliveryOrigin)),
    };
  }
}
