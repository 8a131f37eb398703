// The benchmark's input, recorded once: the test kit's seeded dirty glasses stream (with its
// burned-in frame counter) written as FLV, plus the fingerprint of each of its pictures for the
// glass-to-destination latency (frame-latency.ts).
import path from 'node:path';
import { generateDirtyStream, findCounterFont, writeDirtyFlv } from '../../relay/testkit/dirty-stream-generator';
import { planDirtyStream, summarizePlan, type PlanSummary } from '../../relay/testkit/dirty-stream-plan';
import { fingerprintFile } from './frame-latency';

/** One pass of the plan; the file repeats it so that a replay lasts as long as a phase needs. */
export const PLAN_SECONDS = 30;

export interface DirtyInput {
  file: string;
  seed: number;
  passes: number;
  summary: PlanSummary;
  /** Forward and backward clock jumps, ms after the start of a pass. */
  jumps: { atWallMs: number; deltaMs: number }[];
  /** Fingerprints of the pictures of one pass, in order. */
  prints: Buffer[];
  counterBurnedIn: boolean;
}

export async function recordDirtyInput(dir: string, seed: number, seconds: number): Promise<DirtyInput> {
  const plan = planDirtyStream(seed, PLAN_SECONDS);
  const stream = await generateDirtyStream(plan);
  const passes = Math.max(1, Math.ceil(seconds / PLAN_SECONDS));
  const file = path.join(dir, `dirty-seed${seed}.flv`);
  await writeDirtyFlv(stream, file, passes);
  const decoded = await fingerprintFile(file, plan.frames.length);
  if (decoded.prints.length !== plan.frames.length) {
    throw new Error(`decoded ${decoded.prints.length} pictures from the dirty file, the plan has ${plan.frames.length}`);
  }
  return {
    file,
    seed,
    passes,
    summary: summarizePlan(plan),
    jumps: plan.jumps,
    prints: decoded.prints,
    counterBurnedIn: findCounterFont() !== undefined,
  };
}
