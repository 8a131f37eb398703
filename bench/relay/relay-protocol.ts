// Messages between run.ts and the relay agent's process (relay-process.ts) over the IPC channel.

export type RelayParentMessage = { type: 'stop' };

export type RelayChildMessage = { type: 'ready' } | { type: 'error'; message: string };

/** Environment variable carrying the relay's settings (JSON, RELAY_* names as in relay-config.ts). */
export const RELAY_CONFIG_ENV = 'BENCH_RELAY_CONFIG';
