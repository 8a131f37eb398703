export const COUNTER_WINDOW_MS = 5 * 60_000;

export type RequestOutcome = 'answered' | 'rejected' | 'rate-limited' | 'injected' | 'hanging';

export interface RequestLogEntry {
  seq: number;
  /** ISO time on the stand-in's clock. */
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The schema's operationId, or null when no operation matched. */
  operationId: string | null;
  /** Parsed JSON body (held in memory only, never printed). */
  body: unknown;
  /** HTTP status answered; null while a hanging request is held open. */
  status: number | null;
  outcome: RequestOutcome;
}

export interface RequestCounters {
  total: number;
  byOperation: Record<string, number>;
  byStatus: Record<string, number>;
  /** Requests per 5-minute window of the stand-in's clock, aligned to the epoch, oldest first. */
  byWindow: { windowStart: string; count: number }[];
}

/** Counts every API request (not the control endpoints) and keeps the latest ones in a bounded log. */
export class RequestStats {
  private seq = 0;
  private total = 0;
  private byOperation = new Map<string, number>();
  private byStatus = new Map<string, number>();
  private byWindow = new Map<number, number>();
  private log: RequestLogEntry[] = [];

  constructor(
    private readonly now: () => number,
    private readonly logLimit: number,
  ) {}

  record(entry: Omit<RequestLogEntry, 'seq' | 'at'>): RequestLogEntry {
    const now = this.now();
    const recorded: RequestLogEntry = { seq: ++this.seq, at: new Date(now).toISOString(), ...entry };
    this.total++;
    const operation = entry.operationId ?? 'unmatched';
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
    const windowStart = Math.floor(now / COUNTER_WINDOW_MS) * COUNTER_WINDOW_MS;
    this.byWindow.set(windowStart, (this.byWindow.get(windowStart) ?? 0) + 1);
    if (entry.status !== null) this.countStatus(entry.status);
    this.log.push(recorded);
    if (this.log.length > this.logLimit * 2) this.log = this.log.slice(-this.logLimit);
    return recorded;
  }

  /** A hanging request that the stand-in finally closed without an answer. */
  countStatus(status: number): void {
    this.byStatus.set(String(status), (this.byStatus.get(String(status)) ?? 0) + 1);
  }

  counters(): RequestCounters {
    return {
      total: this.total,
      byOperation: Object.fromEntries(this.byOperation),
      byStatus: Object.fromEntries(this.byStatus),
      byWindow: [...this.byWindow.entries()]
        .sort(([a], [b]) => a - b)
        .map(([start, count]) => ({ windowStart: new Date(start).toISOString(), count })),
    };
  }

  requests(): RequestLogEntry[] {
    return this.log.slice(-this.logLimit);
  }

  reset(): void {
    this.total = 0;
    this.byOperation.clear();
    this.byStatus.clear();
    this.byWindow.clear();
    this.log = [];
  }
}
