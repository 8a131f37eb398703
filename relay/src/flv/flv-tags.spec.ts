import {
  FlvFormatError,
  isAudioFrame,
  isKeyframe,
  isSequenceHeader,
  isVideoFrame,
  parseFlv,
  serializeFlv,
  serializeFlvHeader,
  serializeFlvTag,
  type FlvTag,
} from './flv-tags';
import { aacFrame, aacHeader, avcFrame, avcHeader } from './flv-tags.fixtures';

describe('FLV tags', () => {
  const tags: FlvTag[] = [
    { kind: 'script', timestampMs: 0, data: Buffer.from([2, 0, 1, 0x41]) },
    { kind: 'video', timestampMs: 0, data: avcHeader() },
    { kind: 'audio', timestampMs: 0, data: aacHeader() },
    { kind: 'video', timestampMs: 40, data: avcFrame(true) },
    { kind: 'audio', timestampMs: 3000, data: aacFrame() },
    { kind: 'video', timestampMs: 1500, data: avcFrame(false) }, // backward: written as given
    { kind: 'video', timestampMs: 0x1234_5678, data: avcFrame(false) }, // needs the extended byte
  ];

  it('round-trips header and tags, timestamps untouched', () => {
    const parsed = parseFlv(serializeFlv({ hasAudio: true, hasVideo: true, tags }));
    expect(parsed.hasAudio).toBe(true);
    expect(parsed.hasVideo).toBe(true);
    expect(parsed.tags).toEqual(tags);
  });

  it('writes the extended timestamp byte and PreviousTagSize', () => {
    const bytes = serializeFlvTag({ kind: 'video', timestampMs: 0x1234_5678, data: Buffer.from([1, 2, 3]) });
    expect([...bytes.subarray(0, 8)]).toEqual([9, 0, 0, 3, 0x34, 0x56, 0x78, 0x12]);
    expect(bytes.readUInt32BE(bytes.length - 4)).toBe(11 + 3);
  });

  it('reads the header flags', () => {
    const parsed = parseFlv(Buffer.concat([serializeFlvHeader({ hasAudio: false, hasVideo: true })]));
    expect(parsed).toEqual({ hasAudio: false, hasVideo: true, tags: [] });
  });

  it('ignores a truncated last tag (a recording still being written)', () => {
    const whole = serializeFlv({ hasAudio: true, hasVideo: true, tags: tags.slice(0, 4) });
    expect(parseFlv(whole.subarray(0, whole.length - 6)).tags).toEqual(tags.slice(0, 3));
  });

  it('rejects non-FLV input', () => {
    expect(() => parseFlv(Buffer.from('GIF89a-and-more-bytes'))).toThrow(FlvFormatError);
  });

  it('classifies tags', () => {
    const [script, vh, ah, key, audio, inter] = tags;
    expect([vh, ah].every(isSequenceHeader)).toBe(true);
    expect([script, key, audio, inter].some(isSequenceHeader)).toBe(false);
    expect([key, inter].every(isVideoFrame)).toBe(true);
    expect(isVideoFrame(vh)).toBe(false);
    expect(isAudioFrame(audio)).toBe(true);
    expect(isAudioFrame(ah)).toBe(false);
    expect(isKeyframe(key)).toBe(true);
    expect(isKeyframe(inter)).toBe(false);
  });
});
