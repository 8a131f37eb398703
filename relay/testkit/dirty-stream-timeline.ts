import { deviceClockAt, plannedAudioFrames, type DirtyStreamPlan } from './dirty-stream-plan';
import { isAudioFrame, isKeyframe, isSequenceHeader, isVideoFrame, type FlvFile, type FlvTag } from './flv-tags';
import type { PublishSession } from './stream-shape';

/**
 * Pure: turns FFmpeg's evenly stamped render of the plan into the dirty stream, tag by tag.
 * Each tag gets the wall time it must be sent at and the (jumping) device-clock timestamp it carries.
 */

export interface TimedTag extends FlvTag {
  wallMs: number;
}

/** What one RTMP connection sends: decoder configuration first, then media. */
export interface StreamSession extends PublishSession {
  tags: TimedTag[];
}

export interface DirtyStream {
  plan: DirtyStreamPlan;
  hasAudio: boolean;
  /** Every session's tags in order (sorted by wallMs; decoder configuration first in each session). */
  tags: TimedTag[];
  /** One per publisher connection: more than one when the plan has drops. */
  sessions: StreamSession[];
  /** How far wall clock and device clock advance per pass, so looped passes continue seamlessly. */
  loopSpan: { wallMs: number; timestampMs: number };
}

const AUDIO_SHORTFALL_TOLERATED_SEC = 2;

export class RenderMismatchError extends Error {}

export function retimeRender(render: FlvFile, plan: DirtyStreamPlan): DirtyStream {
  return retimeRenders([render], plan);
}

/**
 * `renders[i]` is the render of `plan.videoSegments[i]`; the audio is in one more render after them,
 * or else in the first (see renderJobs).
 * Sequence headers go out at the start of each session (AVC before the session's first frame, AAC
 * before its first audio frame) and before the first frame of each later video segment.
 */
export function retimeRenders(renders: readonly FlvFile[], plan: DirtyStreamPlan): DirtyStream {
  const segments = plan.videoSegments.length;
  if (renders.length !== segments && renders.length !== segments + 1) {
    throw new RenderMismatchError(`${renders.length} renders for ${segments} video segments`);
  }
  const audioRender = renders[segments] ?? renders[0];
  const video = plan.videoSegments.flatMap((segment, s) => {
    const frames = renders[s].tags.filter(isVideoFrame);
    if (frames.length < segment.frameCount) {
      throw new RenderMismatchError(`render ${s} has ${frames.length} video frames, plan needs ${segment.frameCount}`);
    }
    const header = renders[s].tags.find((t) => t.kind === 'video' && isSequenceHeader(t));
    if (!header) throw new RenderMismatchError(`render ${s} has no AVC sequence header`);
    return plan.frames.slice(segment.firstFrame, segment.firstFrame + segment.frameCount).map((frame, i) => {
      const tag = frames[i];
      if (isKeyframe(tag) !== frame.keyframe) {
        throw new RenderMismatchError(`frame ${frame.index}: encoder ${isKeyframe(tag) ? 'made' : 'skipped'} a keyframe`);
      }
      return { frame, header, tag: { ...tag, wallMs: frame.wallMs, timestampMs: frame.dtsMs } };
    });
  });
  const audioHeader = audioRender.tags.find((t) => t.kind === 'audio' && isSequenceHeader(t));
  const audioFrames = audioRender.tags.filter(isAudioFrame);
  const audioPlan = plannedAudioFrames(plan);
  const audioNeeded = audioPlan.length > 0 ? audioPlan[audioPlan.length - 1].index + 1 : 0;
  // `-frames:v` ends a render's audio a little before its last picture (up to ~1.5 s measured): the
  // stream's last moments then go without sound, as they always did. More missing is a broken render.
  const tolerated = plan.audio
    ? Math.ceil((AUDIO_SHORTFALL_TOLERATED_SEC * plan.audio.sampleRate) / plan.audio.samplesPerFrame)
    : 0;
  if (audioFrames.length < audioNeeded - tolerated) {
    throw new RenderMismatchError(`render has ${audioFrames.length} audio frames, plan needs ${audioNeeded}`);
  }
  const audio = audioPlan
    .filter((a) => a.index < audioFrames.length)
    .map((a): TimedTag => ({ ...audioFrames[a.index], wallMs: a.wallMs, timestampMs: a.dtsMs }));
  // The render's onMetaData is dropped: its frame rate and duration describe the render, not the stream.
  const sessions = plan.sessions.map((session): StreamSession => {
    const inSession = (t: { wallMs: number }): boolean => t.wallMs >= session.startWallMs && t.wallMs < session.endWallMs;
    const configuration: TimedTag[] = [];
    const sessionVideo = video.filter((v) => inSession(v.tag));
    const videoTags = sessionVideo.flatMap((v, i) => {
      const newSegment = i === 0 || v.header !== sessionVideo[i - 1].header;
      if (newSegment) configuration.push({ ...v.header, wallMs: v.tag.wallMs, timestampMs: v.tag.timestampMs });
      return [v.tag];
    });
    const audioTags = audio.filter(inSession);
    if (audioHeader && audioTags.length > 0) {
      configuration.push({ ...audioHeader, wallMs: audioTags[0].wallMs, timestampMs: audioTags[0].timestampMs });
    }
    return { ...session, tags: [...configuration, ...videoTags, ...audioTags].sort(byWallThenConfiguration) };
  });
  return {
    plan,
    hasAudio: audio.length > 0,
    tags: sessions.flatMap((s) => s.tags),
    sessions,
    loopSpan: { wallMs: plan.durationMs, timestampMs: deviceClockAt(plan, plan.durationMs) },
  };
}

/** Stable: at one wall time, sequence headers go before media (and otherwise keep their order). */
function byWallThenConfiguration(a: TimedTag, b: TimedTag): number {
  return a.wallMs - b.wallMs || Number(!isSequenceHeader(a)) - Number(!isSequenceHeader(b));
}

/** The tags of pass `pass` (0-based) when looping: configuration only once, then shifted media. */
export function tagsForPass(stream: DirtyStream, pass: number): TimedTag[] {
  if (pass === 0) return stream.tags;
  const { wallMs, timestampMs } = stream.loopSpan;
  return stream.tags
    .filter((t) => !isSequenceHeader(t))
    .map((t) => ({ ...t, wallMs: t.wallMs + pass * wallMs, timestampMs: t.timestampMs + pass * timestampMs }));
}
