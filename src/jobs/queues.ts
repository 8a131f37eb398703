/** Every queue and job name, each job tied to its payload. Payloads carry ids only. */
export const QUEUES = {
  streamLifecycle: 'stream-lifecycle',
} as const;

export interface JobPayloads {
  'stream.finalize-stop': { streamId: string };
}
export type JobName = keyof JobPayloads;

/** Deterministic job ids so the same intent is queued once (BullMQ forbids ':' in ids). */
export const jobIds = {
  finalizeStop: (streamId: string): string => `finalize-stop-${streamId}`,
};
