// Counts (and, on demand, records) the SQL statements the server sends, by wrapping
// pg.Client#query, through which Prisma's pg adapter sends everything (pool queries and
// transactions alike). Benchmark-only instrumentation: src/ is left untouched.
import pg from 'pg';

export interface RecordedQuery {
  sql: string;
  ms: number;
}

export class QueryCounter {
  count = 0;
  private recording: RecordedQuery[] | null = null;

  install(): void {
    // The unpatched method, called below with each client as `this`.
    const original = Object.getOwnPropertyDescriptor(pg.Client.prototype, 'query')?.value as (...args: unknown[]) => unknown;
    const track = (args: unknown[]) => this.track(args);
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const done = track(args);
      if (!done) return original.apply(this, args);
      // pg.Pool#query passes a callback; transactions (on a checked-out client) use the promise.
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (error: unknown, ...rest: unknown[]) => {
          done(Boolean(error));
          return (callback as (...a: unknown[]) => unknown)(error, ...rest);
        };
        return original.apply(this, args);
      }
      const result = original.apply(this, args);
      if (result instanceof Promise) {
        result.then(
          () => done(false),
          () => done(true),
        );
      }
      return result;
    } as typeof pg.Client.prototype.query;
  }

  /** Counts a statement; while recording, returns what to call when it completes. */
  private track(args: unknown[]): ((failed: boolean) => void) | null {
    this.count++;
    const recording = this.recording;
    if (!recording) return null;
    const started = performance.now();
    const sql = sqlOf(args[0]);
    return (failed) => recording.push({ sql: failed ? `${sql} (failed)` : sql, ms: performance.now() - started });
  }

  startRecording(): void {
    this.recording = [];
  }

  stopRecording(): RecordedQuery[] {
    const recorded = this.recording ?? [];
    this.recording = null;
    return recorded;
  }
}

function sqlOf(query: unknown): string {
  const text = typeof query === 'string' ? query : ((query as { text?: string } | null)?.text ?? '?');
  return text.replace(/\s+/g, ' ').trim();
}
