// Messages between run.ts and its server process (server.ts) over the IPC channel.
import type { RecordedQuery } from './query-counter';

export type ParentMessage =
  | { type: 'stats' } // SQL statements and CPU time so far
  | { type: 'record' } // start recording statements
  | { type: 'recorded' } // stop recording and send them
  | { type: 'stop' };

export type ServerMessage =
  | { type: 'ready'; port: number; apiKey: string }
  | { type: 'stats'; queries: number; cpuMs: number }
  | { type: 'recorded'; queries: RecordedQuery[] }
  | { type: 'error'; message: string };

/** Environment variable carrying the config overrides (JSON) applied on top of the test config. */
export const SERVER_CONFIG_ENV = 'BENCH_SERVER_CONFIG';
