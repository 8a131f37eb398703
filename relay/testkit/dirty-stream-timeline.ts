import { clockOffsetAt, plannedAudioFrames, type DirtyStreamPlan } from './dirty-stream-plan';
import { isAudioFrame, isKeyframe, isSequenceHeader, isVideoFrame, type FlvFile, type FlvTag } from './flv-tags';

/**
 * Pure: turns FFmpeg's evenly stamped render of the plan into the dirty stream, tag by tag.
 * Each tag gets the wall time it must be sent at and the (jumping) device-clock timestamp it carries.
 */

export interface TimedTag extends FlvTag {
  wallMs: number;
}

export interface DirtyStream {
  plan: DirtyStreamPlan;
  hasAudio: boolean;
  /** Sorted by wallMs; decoder configuration first. */
  tags: TimedTag[];
  /** How far wall clock and device clock advance per pass, so looped passes continue seamlessly. */
  loopSpan: { wallMs: number; timestampMs: number };
}

export class RenderMismatchError extends Error {}

export function retimeRender(render: FlvFile, plan: DirtyStreamPlan): DirtyStream {
  const headers = render.tags.filter(isSequenceHeader);
  const videoFrames = render.tags.filter(isVideoFrame);
  const audioFrames = render.tags.filter(isAudioFrame);
  if (videoFrames.length < plan.frames.length) {
    throw new RenderMismatchError(`render has ${videoFrames.length} video frames, plan needs ${plan.frames.length}`);
  }
  const video = plan.frames.map((frame, i): TimedTag => {
    const tag = videoFrames[i];
    if (isKeyframe(tag) !== frame.keyframe) {
      throw new RenderMismatchError(`frame ${i}: encoder ${isKeyframe(tag) ? 'made' : 'skipped'} a keyframe`);
    }
    return { ...tag, wallMs: frame.wallMs, timestampMs: frame.dtsMs };
  });
  const audioPlan = plannedAudioFrames(plan);
  const audio = audioFrames
    .slice(0, audioPlan.length)
    .map((tag, i): TimedTag => ({ ...tag, wallMs: audioPlan[i].wallMs, timestampMs: audioPlan[i].dtsMs }));
  // The render's onMetaData is dropped: its frame rate and duration describe the render, not the stream.
  const configuration = headers.map((tag): TimedTag => ({ ...tag, wallMs: 0, timestampMs: 0 }));
  const media = [...video, ...audio].sort((a, b) => a.wallMs - b.wallMs);
  return {
    plan,
    hasAudio: audio.length > 0,
    tags: [...configuration, ...media],
    loopSpan: { wallMs: plan.durationMs, timestampMs: plan.durationMs + clockOffsetAt(plan.jumps, plan.durationMs) },
  };
}

/** The tags of pass `pass` (0-based) when looping: configuration only once, then shifted media. */
export function tagsForPass(stream: DirtyStream, pass: number): TimedTag[] {
  if (pass === 0) return stream.tags;
  const { wallMs, timestampMs } = stream.loopSpan;
  return stream.tags
    .filter((t) => !isSequenceHeader(t))
    .map((t) => ({ ...t, wallMs: t.wallMs + pass * wallMs, timestampMs: t.timestampMs + pass * timestampMs }));
}
