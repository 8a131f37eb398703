import type { Job } from 'bullmq';

/** Every queue and job name, each job tied to its payload. Payloads carry ids only. */
export const QUEUES = {
  streamLifecycle: 'stream-lifecycle',
  cloudflare: 'cloudflare',
  relayHealth: 'relay-health',
  streamMaintenance: 'stream-maintenance',
  appWebhooks: 'app-webhooks',
  recordings: 'recordings',
} as const;

export interface JobPayloads {
  'stream.finalize-stop': { streamId: string };
  /** Until the live input's live video shows playback URLs (or the wait is over). */
  'cloudflare.playback-poll': { streamId: string };
  /** Makes the live input's outputs match the stream's enabled destinations. */
  'cloudflare.reconcile-outputs': { streamId: string };
  /** Retries deleting a live input whose stream has ended. */
  'cloudflare.delete-live-input': { liveInputId: string };
  /** Recurring: live status of every Cloudflare stream within the API budget. */
  'cloudflare.status-sweep': Record<string, never>;
  /** Recurring: deletes live inputs we created whose stream has ended (e.g. after a crash). */
  'cloudflare.orphan-sweep': Record<string, never>;
  'relay-health.scan': Record<string, never>;
  'stream-maintenance.scan': Record<string, never>;
  'stream.enforce-duration-limit': { streamId: string };
  'webhooks.dispatch': Record<string, never>;
  'webhooks.deliver': { deliveryId: string };
  'webhooks.prune': Record<string, never>;
  /** Recurring: asks the relays to delete recordings past RECORDING_RETENTION_DAYS. */
  'recordings.expire': Record<string, never>;
}
export type JobName = keyof JobPayloads;

/** Deterministic job ids so the same intent is queued once (BullMQ forbids ':' in ids). */
export const jobIds = {
  finalizeStop: (streamId: string): string => `finalize-stop-${streamId}`,
  playbackPoll: (streamId: string): string => `cf-playback-${streamId}`,
  reconcileOutputs: (streamId: string): string => `cf-reconcile-${streamId}`,
  deleteLiveInput: (liveInputId: string): string => `cf-delete-${liveInputId}`,
  durationLimit: (streamId: string): string => `duration-limit-${streamId}`,
  webhookDelivery: (deliveryId: string): string => `webhook-${deliveryId}`,
};

/** A BullMQ job of one of the given names: switching on `job.name` narrows `job.data` to its payload. */
export type QueueJob<Names extends JobName> = { [N in Names]: Job<JobPayloads[N], unknown, N> }[Names];

/** Recurring jobs (BullMQ job schedulers): upserting the same id from any process or restart is a no-op. */
export const schedulerIds = {
  cloudflareStatusSweep: 'cloudflare-status-sweep',
  cloudflareOrphanSweep: 'cloudflare-orphan-sweep',
  relayHealth: 'relay-health-scan',
  streamMaintenance: 'stream-maintenance-scan',
  webhookDispatch: 'webhook-dispatch',
  webhookPrune: 'webhook-prune',
  recordingRetention: 'recording-retention',
};
