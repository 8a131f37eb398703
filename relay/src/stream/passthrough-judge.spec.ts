import type { FlvTag } from '../flv/flv-tags';
import { PassthroughJudge } from './passthrough-judge';
import { AAC_SEQUENCE_HEADERS, AVC_SEQUENCE_HEADERS } from '../flv/codec-config.fixtures';

const RULES = { size: { width: 1280, height: 720 }, maxLevel: 41, settleMs: 4000 };
const AVC_SEQUENCE_HEADER_1280X720 = Buffer.from(AVC_SEQUENCE_HEADERS.find((h) => h.name === '1280x720 high')!.hex, 'hex');
const AAC_48K_STEREO = Buffer.from(AAC_SEQUENCE_HEADERS.stereo48000, 'hex');
const AAC_44K_MONO = Buffer.from(AAC_SEQUENCE_HEADERS.mono44100, 'hex');

const picture = (ts: number, keyframe: boolean): FlvTag => ({
  kind: 'video',
  timestampMs: ts,
  data: Buffer.from([keyframe ? 0x17 : 0x27, 1, 0, 0, 0, 0, 0, 0, 1, 0x65]),
});
const config = (body: Buffer): FlvTag => ({ kind: 'video', timestampMs: 0, data: body });

/** A clean camera: 30 fps (33/33/34 ms as RTMP stamps it), a keyframe every 60 pictures. */
function cleanPictures(judge: PassthroughJudge, fromTs: number, count: number): number {
  let ts = fromTs;
  for (let i = 0; i < count; i++) {
    judge.observe(picture(Math.round(ts), i % 60 === 0));
    ts += 1000 / 30;
  }
  return ts;
}

describe('PassthroughJudge', () => {
  it('calls a clean camera clean after the settle time and three keyframes, not before', () => {
    const judge = new PassthroughJudge(RULES);
    judge.observe(config(AVC_SEQUENCE_HEADER_1280X720));
    judge.observe({ kind: 'audio', timestampMs: 0, data: AAC_48K_STEREO });
    cleanPictures(judge, 0, 100);
    expect(judge.clean(3300)).toBe(false);
    cleanPictures(judge, 3333, 60);
    expect(judge.fault).toBeNull();
    expect(judge.clean(5400)).toBe(true);
  });

  it('faults on a frame rate that changes, naming the intervals', () => {
    const judge = new PassthroughJudge(RULES);
    const ts = cleanPictures(judge, 0, 30);
    expect(judge.observe(picture(Math.round(ts) + 33, false))).toMatch(/frame rate not constant \(6[67] ms after 3[34] ms\)/);
    expect(judge.clean(10_000)).toBe(false);
  });

  it('faults on keyframes further apart than 4 s, and on one overdue before the next picture', () => {
    const spaced = new PassthroughJudge(RULES);
    spaced.observe(picture(0, true));
    for (let ts = 40; ts < 4500; ts += 40) spaced.observe(picture(ts, false));
    expect(spaced.observe(picture(4520, true))).toBe('keyframes 4.5 s apart');

    const overdue = new PassthroughJudge(RULES);
    overdue.observe(picture(0, true));
    expect(overdue.check(4000)).toBeNull();
    expect(overdue.check(4600)).toBe('no keyframe for more than 4 s');
  });

  it('faults on a picture size other than the output or a codec other than H.264', () => {
    expect(
      new PassthroughJudge({ ...RULES, size: { width: 854, height: 480 } }).observe(config(AVC_SEQUENCE_HEADER_1280X720)),
    ).toBe("picture 1280x720 is not the output's 854x480");
    expect(new PassthroughJudge(RULES).observe({ kind: 'video', timestampMs: 0, data: Buffer.from([0x12, 0]) })).toBe(
      'the video is not H.264',
    );
  });

  it('takes any sound, and says whether it is in the format of the encode (AAC-LC 48 kHz stereo) to be copied too', () => {
    const sound = (...bodies: Buffer[]) => {
      const judge = new PassthroughJudge(RULES);
      for (const data of bodies) expect(judge.observe({ kind: 'audio', timestampMs: 0, data })).toBeNull();
      return judge.copyAudio;
    };
    expect(sound()).toBe(true);
    expect(sound(AAC_48K_STEREO)).toBe(true);
    expect(sound(AAC_44K_MONO)).toBe(false);
    expect(sound(Buffer.from([0x2f, 0xff]))).toBe(false); // MP3
  });

  it('keeps a fault until reset, then watches anew', () => {
    const judge = new PassthroughJudge(RULES);
    judge.observe(picture(0, true));
    judge.observe(picture(500, false));
    expect(judge.fault).toMatch(/outside 20-61 fps/);
    judge.reset();
    expect(judge.fault).toBeNull();
    cleanPictures(judge, 10_000, 200);
    expect(judge.clean(16_700)).toBe(true);
  });
});
