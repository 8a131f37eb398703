/** Every queue and job name, each job tied to its payload. Payloads carry ids only. */
export const QUEUES = {
  streamLifecycle: 'stream-lifecycle',
  relayHealth: 'relay-health',
  streamMaintenance: 'stream-maintenance',
  appWebhooks: 'app-webhooks',
} as const;

export interface JobPayloads {
  'stream.finalize-stop': { streamId: string };
  'relay-health.scan': Record<string, never>;
  'stream-maintenance.scan': Record<string, never>;
  'stream.enforce-duration-limit': { streamId: string };
  'webhooks.dispatch': Record<string, never>;
  'webhooks.deliver': { deliveryId: string };
  'webhooks.prune': Record<string, never>;
}
export type JobName = keyof JobPayloads;

/** Deterministic job ids so the same intent is queued once (BullMQ forbids ':' in ids). */
export const jobIds = {
  finalizeStop: (streamId: string): string => `finalize-stop-${streamId}`,
  durationLimit: (streamId: string): string => `duration-limit-${streamId}`,
  webhookDelivery: (deliveryId: string): string => `webhook-${deliveryId}`,
};

/** Job payload types of one queue's jobs, for its processor. */
export type JobOf<Names extends JobName> = { [N in Names]: { name: N; data: JobPayloads[N] } }[Names];

/** Recurring jobs (BullMQ job schedulers): upserting the same id from any process or restart is a no-op. */
export const schedulerIds = {
  relayHealth: 'relay-health-scan',
  streamMaintenance: 'stream-maintenance-scan',
  webhookDispatch: 'webhook-dispatch',
  webhookPrune: 'webhook-prune',
};
