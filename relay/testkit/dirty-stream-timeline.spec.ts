import { planDirtyStream, plannedAudioFrames, type DirtyStreamPlan } from './dirty-stream-plan';
import { RenderMismatchError, retimeRender, retimeRenders, tagsForPass, type TimedTag } from './dirty-stream-timeline';
import { isKeyframe, isSequenceHeader, type FlvFile, type FlvTag } from './flv-tags';
import { aacFrame, aacHeader, avcFrame, avcHeader } from './flv-tags.fixtures';

/** What FFmpeg's render of a plan looks like: evenly stamped, keyframes where the plan wants them. */
function fakeRender(keyframes: readonly boolean[], audioFrames: number): FlvFile {
  const tags: FlvTag[] = [
    { kind: 'script', timestampMs: 0, data: Buffer.from([2, 0, 0]) },
    { kind: 'video', timestampMs: 0, data: avcHeader() },
    { kind: 'audio', timestampMs: 0, data: aacHeader() },
  ];
  const n = Math.max(keyframes.length, audioFrames);
  for (let i = 0; i < n; i++) {
    if (i < keyframes.length) tags.push({ kind: 'video', timestampMs: i * 100, data: avcFrame(keyframes[i], i % 256) });
    if (i < audioFrames) tags.push({ kind: 'audio', timestampMs: i * 23, data: aacFrame(i % 256) });
  }
  return { hasAudio: true, hasVideo: true, tags };
}

describe('retimeRender', () => {
  const plan = planDirtyStream(11, 12);
  const audioCount = plannedAudioFrames(plan).length;
  const render = fakeRender(
    plan.frames.map((f) => f.keyframe),
    audioCount + 40, // the render runs a little longer than the plan
  );
  const stream = retimeRender(render, plan);

  it('puts the decoder configuration first and drops the render metadata', () => {
    expect(stream.tags.slice(0, 2).every(isSequenceHeader)).toBe(true);
    expect(stream.tags.some((t) => t.kind === 'script')).toBe(false);
  });

  it('stamps every video frame with its planned wall time and device-clock timestamp, in order', () => {
    const video = stream.tags.filter((t) => t.kind === 'video' && !isSequenceHeader(t));
    expect(video.map((t) => [t.wallMs, t.timestampMs, isKeyframe(t)])).toEqual(
      plan.frames.map((f) => [f.wallMs, f.dtsMs, f.keyframe]),
    );
    expect(video.map((t) => t.data[5])).toEqual(plan.frames.map((_, i) => i % 256)); // payloads kept in order
  });

  it('trims audio to the plan and keeps the whole stream sorted by wall time', () => {
    expect(stream.tags.filter((t) => t.kind === 'audio' && !isSequenceHeader(t))).toHaveLength(audioCount);
    expect(stream.tags.every((t, i) => i === 0 || t.wallMs >= stream.tags[i - 1].wallMs)).toBe(true);
  });

  it('carries the backward jump into the timestamps', () => {
    const video = stream.tags.filter((t) => t.kind === 'video' && !isSequenceHeader(t));
    const steps = video.slice(1).map((t, i) => t.timestampMs - video[i].timestampMs);
    expect(Math.min(...steps)).toBeLessThan(-1000);
    expect(Math.max(...steps)).toBeGreaterThan(2000);
  });

  it('refuses a render whose keyframes differ from the plan', () => {
    const flipped = plan.frames.map((f, i) => (i === 5 ? !f.keyframe : f.keyframe));
    expect(() => retimeRender(fakeRender(flipped, audioCount), plan)).toThrow(RenderMismatchError);
  });

  it('refuses a render with too few frames', () => {
    expect(() =>
      retimeRender(
        fakeRender(
          plan.frames.slice(1).map((f) => f.keyframe),
          audioCount,
        ),
        plan,
      ),
    ).toThrow(/video frames/);
  });
});

describe('tagsForPass', () => {
  const plan = planDirtyStream(11, 12);
  const stream = retimeRender(
    fakeRender(
      plan.frames.map((f) => f.keyframe),
      600,
    ),
    plan,
  );

  it('returns the stream as is for the first pass', () => {
    expect(tagsForPass(stream, 0)).toBe(stream.tags);
  });

  it('shifts later passes by whole loop spans, without repeating the configuration', () => {
    const second = tagsForPass(stream, 2);
    const media = stream.tags.filter((t) => !isSequenceHeader(t));
    expect(second).toHaveLength(media.length);
    expect(second[0].wallMs - media[0].wallMs).toBe(2 * plan.durationMs);
    expect(second[0].timestampMs - media[0].timestampMs).toBe(2 * stream.loopSpan.timestampMs);
  });

  it('continues timestamps across the loop boundary without a jump', () => {
    const lastVideo = [...stream.tags].reverse().find((t) => t.kind === 'video');
    const nextVideo = tagsForPass(stream, 1).find((t) => t.kind === 'video');
    const step = (nextVideo?.timestampMs ?? 0) - (lastVideo?.timestampMs ?? 0);
    expect(step).toBeGreaterThan(0);
    expect(step).toBeLessThan(200);
  });
});

describe('retimeRenders with shapes', () => {
  /** A render of one video segment (its own header, marked with `segment`), optionally with audio. */
  function segmentRender(plan: DirtyStreamPlan, segment: number, audioFrames: number): FlvFile {
    const { firstFrame, frameCount } = plan.videoSegments[segment];
    const keyframes = plan.frames.slice(firstFrame, firstFrame + frameCount).map((f) => f.keyframe);
    const render = fakeRender(keyframes, audioFrames);
    const header = render.tags.find((t) => t.kind === 'video' && isSequenceHeader(t));
    if (header) header.data = Buffer.concat([avcHeader(), Buffer.from([segment])]);
    return render;
  }
  const audioOnly = (count: number): FlvFile => ({ ...fakeRender([], count), hasVideo: false });
  const label = (t: TimedTag): string =>
    `${t.kind}${isSequenceHeader(t) ? `-header${t.kind === 'video' ? t.data[t.data.length - 1] : ''}` : ''}@${Math.round(t.wallMs)}/${t.timestampMs}`;

  it('sends a new AVC header before the first frame of each later segment, then a keyframe', () => {
    const plan = planDirtyStream(3, 12, {
      resizes: [
        { atSec: 4, size: '640x480' },
        { atSec: 7, size: '640x480' },
      ],
    });
    const renders = [0, 1, 2].map((s) => segmentRender(plan, s, 0));
    const stream = retimeRenders([...renders, audioOnly(600)], plan);
    const headers = stream.tags.filter((t) => t.kind === 'video' && isSequenceHeader(t));
    expect(headers.map((t) => t.data[t.data.length - 1])).toEqual([0, 1, 2]);
    for (const [i, header] of headers.entries()) {
      const frame = plan.frames[plan.videoSegments[i].firstFrame];
      expect(header).toMatchObject({ wallMs: frame.wallMs, timestampMs: frame.dtsMs });
      const next = stream.tags.slice(stream.tags.indexOf(header) + 1).find((t) => t.kind === 'video');
      expect(next && isKeyframe(next)).toBe(true);
    }
  });

  it('with drops: one session per connection, each opening with its sequence headers at the restarted clock', () => {
    const plan = planDirtyStream(5, 10, {
      drops: [
        { atSec: 3, forSec: 2 },
        { atSec: 6.5, forSec: 1.5, abrupt: true },
      ],
    });
    const stream = retimeRenders([segmentRender(plan, 0, 0), audioOnly(500)], plan);
    expect(stream.sessions.map((s) => s.end)).toEqual(['clean', 'abrupt', 'final']);
    for (const s of stream.sessions) {
      const firstFrame = s.tags.find((t) => t.kind === 'video' && !isSequenceHeader(t));
      expect(label(s.tags[0])).toBe(`video-header0@${s.startWallMs}/0`);
      expect(firstFrame && [label(firstFrame), isKeyframe(firstFrame)]).toEqual([`video@${s.startWallMs}/0`, true]);
      const firstAudio = s.tags.findIndex((t) => t.kind === 'audio');
      expect(isSequenceHeader(s.tags[firstAudio])).toBe(true);
      expect(s.tags[firstAudio].timestampMs).toBe(Math.round(s.tags[firstAudio].wallMs - s.startWallMs));
      expect(s.tags.every((t) => t.wallMs >= s.startWallMs && t.wallMs < s.endWallMs)).toBe(true);
    }
    expect(stream.tags).toEqual(stream.sessions.flatMap((s) => s.tags));
  });

  it('audio before video: the AAC header at 0, the AVC header only with the first frame', () => {
    const plan = planDirtyStream(3, 12, { audioOnlyForSec: 3 });
    const stream = retimeRenders([segmentRender(plan, 0, 0), audioOnly(600)], plan);
    expect(stream.tags.slice(0, 2).map(label)).toEqual(['audio-header@0/0', 'audio@0/0']);
    const videoHeader = stream.tags.find((t) => t.kind === 'video' && isSequenceHeader(t));
    expect(videoHeader?.wallMs).toBe(plan.frames[0].wallMs);
  });

  it('no audio: video tags only', () => {
    const plan = planDirtyStream(3, 12, { audio: 'none' });
    const stream = retimeRenders([segmentRender(plan, 0, 0)], plan);
    expect(stream.hasAudio).toBe(false);
    expect(stream.tags.every((t) => t.kind === 'video')).toBe(true);
  });

  it('refuses an audio render shorter than the plan', () => {
    const plan = planDirtyStream(3, 12, { audioOnlyForSec: 3 });
    expect(() => retimeRenders([segmentRender(plan, 0, 0), audioOnly(100)], plan)).toThrow(/audio frames/);
  });
});
