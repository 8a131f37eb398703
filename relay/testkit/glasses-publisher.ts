import { generateDirtyStream } from './dirty-stream-generator';
import { planDirtyStream, type DirtyStreamPlan, type PlanOptions } from './dirty-stream-plan';
import { publishDirtyStream, type PublisherKind, type PublishReport, type SessionEvent } from './dirty-stream-publisher';
import type { DirtyStream } from './dirty-stream-timeline';

/**
 * The one call relay tests need: plan, render and publish a seeded glasses stream of a given shape.
 *
 *   const glasses = publishGlasses(url, { seed: 3, durationSec: 12, size: '720x1280', audio: 'none',
 *                                         drops: [{ atSec: 4, forSec: 2, abrupt: true }] });
 *   await glasses.started;                 // the first publish was accepted (after a ~1-3 s render)
 *   const report = await glasses.done;     // every session published, returns included
 *   report.drops[0].droppedAt;             // Date.now() at the drop; .returnedAt at the new publish
 */

export interface GlassesOptions extends PlanOptions {
  /** Default 1. */
  seed?: number;
  /** Default 12 (the plan's minimum is 10). */
  durationSec?: number;
  /** Default `node` (the only one that keeps backward jumps). */
  publisher?: PublisherKind;
  /** `null`: no burned-in frame counter. */
  fontFile?: string | null;
  signal?: AbortSignal;
  onSession?: (event: SessionEvent) => void;
}

export interface GlassesDrop {
  session: number;
  abrupt: boolean;
  /** Date.now() when the connection was closed or abandoned. */
  droppedAt: number;
  /** Date.now() when the next publish was accepted; undefined if the publish ended before. */
  returnedAt?: number;
}

export interface GlassesReport extends PublishReport {
  drops: GlassesDrop[];
}

export interface GlassesPublish {
  /** Pure and available at once: every frame's wall time and timestamp, the sessions, the sizes. */
  plan: DirtyStreamPlan;
  /** The rendered stream (resolves before the publish starts). */
  rendered: Promise<DirtyStream>;
  /** Date.now() when the first publish was accepted. */
  started: Promise<number>;
  /** Resolves when the whole publish (drops and returns included) has finished; rejects on failure. */
  done: Promise<GlassesReport>;
  /** Ends the publish early (cleanly); `done` then resolves with `aborted: true`. */
  stop(): void;
}

export function publishGlasses(rtmpUrl: string, options: GlassesOptions = {}): GlassesPublish {
  const { seed = 1, durationSec = 12, publisher, fontFile, signal, onSession, ...shape } = options;
  const plan = planDirtyStream(seed, durationSec, shape);
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let markStarted: (at: number) => void = () => undefined;
  let failStart: (error: unknown) => void = () => undefined;
  const started = new Promise<number>((resolve, reject) => {
    markStarted = resolve;
    failStart = reject;
  });
  const rendered = generateDirtyStream(plan, { fontFile });
  const done = rendered
    .then((stream) =>
      publishDirtyStream(stream, rtmpUrl, {
        publisher,
        signal: abort.signal,
        onSession: (event) => {
          if (event.type === 'connected' && event.session === 0) markStarted(event.at);
          onSession?.(event);
        },
      }),
    )
    .then((report) => ({ ...report, drops: dropsOf(report.events) }))
    .finally(() => signal?.removeEventListener('abort', onAbort));
  // A failure before the first publish also rejects `started`; callers awaiting only `done` see it there.
  done.catch(failStart);
  started.catch(() => undefined);
  return { plan, rendered, started, done, stop: () => abort.abort() };
}

/** Pairs each drop with the connect that follows it. */
export function dropsOf(events: readonly SessionEvent[]): GlassesDrop[] {
  return events
    .filter((e) => e.type === 'dropped')
    .map((e) => ({
      session: e.session,
      abrupt: e.abrupt ?? false,
      droppedAt: e.at,
      returnedAt: events.find((c) => c.type === 'connected' && c.session === e.session + 1)?.at,
    }));
}
