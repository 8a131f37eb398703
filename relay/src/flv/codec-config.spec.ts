import {
  aacChannels,
  aacSampleRate,
  avcPictureSize,
  isAacBody,
  isAacSequenceHeader,
  isAvcFrame,
  isAvcSequenceHeader,
  isKeyframeBody,
  readAvcConfig,
  SILENT_AAC_FRAME,
  withParameterSets,
} from './codec-config';
import { AAC_SEQUENCE_HEADERS, AVC_SEQUENCE_HEADERS, FFMPEG_SILENT_AAC_FRAMES } from './codec-config.fixtures';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');

/** An AAC-LC sequence header body with the given sampling-frequency index and channel configuration. */
const ascBody = (rateIndex: number, channels: number): Buffer =>
  Buffer.from([0xaf, 0, (2 << 3) | (rateIndex >> 1), ((rateIndex & 1) << 7) | (channels << 3)]);

/** Deterministic bytes for the garbage cases (a tiny LCG: no Math.random in unit tests). */
function pseudoRandomBytes(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

describe('avcPictureSize', () => {
  it.each(AVC_SEQUENCE_HEADERS)('reads $name from a real x264 sequence header', ({ hex: body, width, height }) => {
    expect(avcPictureSize(hex(body))).toEqual({ width, height });
  });

  it('refuses what is not an AVC sequence header', () => {
    const real = hex(AVC_SEQUENCE_HEADERS[0].hex);
    const asFrame = Buffer.from(real);
    asFrame[1] = 1;
    const asOtherCodec = Buffer.from(real);
    asOtherCodec[0] = 0x12; // Sorenson H.263
    for (const body of [Buffer.alloc(0), Buffer.from([0x17]), asFrame, asOtherCodec, hex(AAC_SEQUENCE_HEADERS.mono44100)]) {
      expect(avcPictureSize(body)).toBeNull();
    }
  });

  it('gives null, never throws, for a record cut anywhere before the end of its SPS', () => {
    const real = hex(AVC_SEQUENCE_HEADERS[0].hex);
    const spsEnd = 5 + 8 + real.readUInt16BE(5 + 6);
    for (let length = 0; length < spsEnd; length++) expect(avcPictureSize(real.subarray(0, length))).toBeNull();
  });

  it('gives null for a record without an SPS, or with an SPS that holds no picture', () => {
    const noSps = hex(AVC_SEQUENCE_HEADERS[0].hex);
    noSps[5 + 5] = 0xe0; // numOfSequenceParameterSets = 0
    expect(avcPictureSize(noSps)).toBeNull();

    const zeros = Buffer.concat([Buffer.from([0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 16, 0x67]), Buffer.alloc(15)]);
    expect(avcPictureSize(zeros)).toBeNull(); // an Exp-Golomb code that never ends
  });

  it('never throws on garbage behind a sequence header prefix', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const body = Buffer.concat([Buffer.from([0x17, 0, 0, 0, 0]), pseudoRandomBytes(seed, seed % 40)]);
      const size = avcPictureSize(body);
      if (size !== null) expect(size.width > 0 && size.height > 0).toBe(true);
    }
  });
});

describe('AAC sequence headers', () => {
  it('reads the sample rate and channels of real FFmpeg AudioSpecificConfigs', () => {
    expect([aacSampleRate(hex(AAC_SEQUENCE_HEADERS.mono44100)), aacChannels(hex(AAC_SEQUENCE_HEADERS.mono44100))]).toEqual([
      44100, 1,
    ]);
    expect([aacSampleRate(hex(AAC_SEQUENCE_HEADERS.mono16000)), aacChannels(hex(AAC_SEQUENCE_HEADERS.mono16000))]).toEqual([
      16000, 1,
    ]);
    expect([aacSampleRate(hex(AAC_SEQUENCE_HEADERS.stereo48000)), aacChannels(hex(AAC_SEQUENCE_HEADERS.stereo48000))]).toEqual([
      48000, 2,
    ]);
  });

  it('maps every sampling-frequency index, and gives null for the reserved and explicit ones', () => {
    const rates = [...Array(16).keys()].map((index) => aacSampleRate(ascBody(index, 2)));
    expect(rates).toEqual([
      96000,
      88200,
      64000,
      48000,
      44100,
      32000,
      24000,
      22050,
      16000,
      12000,
      11025,
      8000,
      7350,
      null,
      null,
      null,
    ]);
    expect(aacChannels(ascBody(3, 6))).toBe(6);
  });

  it('gives null for bodies that are not AAC sequence headers', () => {
    const frame = Buffer.from([0xaf, 1, 0x12, 0x10]);
    const mp3 = Buffer.from([0x2f, 0, 0x12, 0x10]);
    const short = Buffer.from([0xaf, 0, 0x12]);
    for (const body of [Buffer.alloc(0), frame, mp3, short, hex(AVC_SEQUENCE_HEADERS[0].hex)]) {
      expect(aacSampleRate(body)).toBeNull();
      expect(aacChannels(body)).toBeNull();
    }
  });
});

describe('tag body classifiers', () => {
  it('tells AVC sequence headers, frames and keyframes apart', () => {
    const header = hex(AVC_SEQUENCE_HEADERS[0].hex);
    const key = Buffer.from([0x17, 1, 0, 0, 0]);
    const inter = Buffer.from([0x27, 1, 0, 0, 0]);
    const endOfSequence = Buffer.from([0x17, 2, 0, 0, 0]);
    const h263Key = Buffer.from([0x12, 0]);
    expect([header, key, inter, endOfSequence, h263Key].map(isAvcSequenceHeader)).toEqual([true, false, false, false, false]);
    expect([header, key, inter, endOfSequence, h263Key].map(isAvcFrame)).toEqual([false, true, true, false, false]);
    expect([header, key, inter, endOfSequence, h263Key].map(isKeyframeBody)).toEqual([true, true, false, true, true]);
    expect([Buffer.alloc(0), Buffer.from([0x17])].map(isAvcFrame)).toEqual([false, false]);
    expect(isKeyframeBody(Buffer.alloc(0))).toBe(false);
  });

  it('tells AAC bodies and AAC sequence headers apart from other sound', () => {
    const config = hex(AAC_SEQUENCE_HEADERS.stereo48000);
    const frame = Buffer.from([0xaf, 1, 0x21]);
    const mp3 = Buffer.from([0x2f, 0xff]);
    expect([config, frame, mp3, Buffer.from([0xaf])].map(isAacBody)).toEqual([true, true, false, false]);
    expect([config, frame, mp3, Buffer.from([0xaf])].map(isAacSequenceHeader)).toEqual([true, false, false, false]);
  });
});

describe('SILENT_AAC_FRAME', () => {
  // Checked once by hand: an FLV of an AudioSpecificConfig plus 20 of these frames decodes with
  // FFmpeg, without an error, to 20 x 1024 samples at -91 dB (digital silence) for mono and stereo
  // at 16, 44.1 and 48 kHz. Here: they are the bytes FFmpeg's own encoder writes for silence.
  it('is what FFmpeg writes for digital silence, mono and stereo', () => {
    expect(SILENT_AAC_FRAME[1].toString('hex')).toBe(FFMPEG_SILENT_AAC_FRAMES.mono16000);
    expect(SILENT_AAC_FRAME[2].toString('hex')).toBe(FFMPEG_SILENT_AAC_FRAMES.stereo48000);
  });
});

describe('readAvcConfig and withParameterSets', () => {
  const header = Buffer.from(AVC_SEQUENCE_HEADERS.find((h) => h.name === '1280x720 high')!.hex, 'hex');

  it('reads profile, level, NAL length size and the SPS and PPS of a sequence header', () => {
    const config = readAvcConfig(header)!;
    expect({ profile: config.profile, level: config.level, nalLengthSize: config.nalLengthSize }).toEqual({
      profile: 100,
      level: 31,
      nalLengthSize: 4,
    });
    expect(config.parameterSets.map((set) => set[0] & 0x1f)).toEqual([7, 8]);
    expect(readAvcConfig(header.subarray(0, 12))).toBeNull();
  });

  it('puts the parameter sets, length-prefixed, in front of a keyframe', () => {
    const config = readAvcConfig(header)!;
    const frame = Buffer.from([0x17, 1, 0, 0, 0, 0, 0, 0, 2, 0x65, 0x88]);
    const withSets = withParameterSets(frame, config);
    const [sps, pps] = config.parameterSets;
    expect(withSets.subarray(0, 5)).toEqual(frame.subarray(0, 5));
    expect(withSets.readUInt32BE(5)).toBe(sps.length);
    expect(withSets.subarray(9, 9 + sps.length)).toEqual(sps);
    expect(withSets.readUInt32BE(9 + sps.length)).toBe(pps.length);
    expect(withSets.subarray(withSets.length - 6)).toEqual(frame.subarray(5));
  });
});
