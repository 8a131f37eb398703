import { planDirtyStream, plannedAudioFrames } from './dirty-stream-plan';
import { RenderMismatchError, retimeRender, tagsForPass } from './dirty-stream-timeline';
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
