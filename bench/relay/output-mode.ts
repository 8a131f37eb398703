// What the API says a relay stream's output is doing (stats.outputMode: 'encode' | 'passthrough',
// and why), polled while the stream is measured: when it first said passthrough, and which modes it
// showed during the CPU window. Times are performance.now() values.
import { performance } from 'node:perf_hooks';
import type { ControlPlane } from './control-plane';

export interface ModeChange {
  at: number;
  /** null: not reported (today's relay has no modes, or the relay has not reported yet). */
  mode: string | null;
  reason: string | null;
}

/** The modes a stream showed, for the report. */
export interface ModeReport {
  /** Seconds from publish start to the first answer saying passthrough; null: never. */
  passthroughAfterSec: number | null;
  /** Modes during the CPU window, in order, repeats merged (e.g. ['passthrough']). */
  inWindow: (string | null)[];
  /** The last mode and reason the API gave. */
  last: ModeChange | null;
  /** Every change seen, seconds from publish start. */
  changes: { atSec: number; mode: string | null; reason: string | null }[];
}

export class ModeWatch {
  private readonly changes: ModeChange[] = [];
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private error: string | null = null;

  constructor(
    private readonly api: ControlPlane,
    private readonly streamId: string,
    private readonly everyMs = 250,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** When the API first said passthrough, or null. */
  get passthroughAt(): number | null {
    return this.changes.find((c) => c.mode === 'passthrough')?.at ?? null;
  }

  get current(): ModeChange | null {
    return this.changes.at(-1) ?? null;
  }

  /** The last failed read, if the API could not be asked. */
  get lastError(): string | null {
    return this.error;
  }

  report(publishStartedAt: number | null, window: { from: number; to: number } | null): ModeReport {
    const t0 = publishStartedAt ?? 0;
    const inWindow: (string | null)[] = [];
    if (window) {
      const before = this.changes.filter((c) => c.at <= window.from).at(-1);
      const during = this.changes.filter((c) => c.at > window.from && c.at <= window.to);
      for (const change of before ? [before, ...during] : during) {
        if (inWindow.length === 0 || inWindow.at(-1) !== change.mode) inWindow.push(change.mode);
      }
    }
    const passthroughAt = this.passthroughAt;
    return {
      passthroughAfterSec: passthroughAt === null || publishStartedAt === null ? null : (passthroughAt - t0) / 1000,
      inWindow,
      last: this.current,
      changes: this.changes.map((c) => ({ atSec: (c.at - t0) / 1000, mode: c.mode, reason: c.reason })),
    };
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const view = await this.api.view(this.streamId);
      const mode = view.stats.outputMode ?? null;
      const reason = view.stats.outputModeReason ?? null;
      const last = this.current;
      if (!last || last.mode !== mode || last.reason !== reason) this.changes.push({ at: performance.now(), mode, reason });
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }
}

/** Pure: "passthrough", "encode → passthrough", or "not reported" for the modes of a window. */
export function modeCell(modes: readonly (string | null)[]): string {
  if (modes.length === 0) return 'not reported';
  return modes.map((mode) => mode ?? 'not reported').join(' → ');
}
