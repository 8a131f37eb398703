/**
 * Pure: what the relay needs to know from the glasses' codec configuration: the picture size from the
 * AVC sequence header (SPS) and the AAC sample rate from its AudioSpecificConfig. FLV tag bodies in.
 */

export interface PictureSize {
  width: number;
  height: number;
}

export function isAvcSequenceHeader(body: Buffer): boolean {
  return body.length >= 2 && (body[0] & 0x0f) === 7 && body[1] === 0;
}

export function isAvcFrame(body: Buffer): boolean {
  return body.length >= 2 && (body[0] & 0x0f) === 7 && body[1] === 1;
}

export function isKeyframeBody(body: Buffer): boolean {
  return body.length >= 1 && body[0] >> 4 === 1;
}

export function isAacBody(body: Buffer): boolean {
  return body.length >= 2 && body[0] >> 4 === 10;
}

export function isAacSequenceHeader(body: Buffer): boolean {
  return isAacBody(body) && body[1] === 0;
}

const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** Sample rate of an AAC sequence header tag body, or null when it cannot be read. */
export function aacSampleRate(body: Buffer): number | null {
  if (!isAacSequenceHeader(body) || body.length < 4) return null;
  const index = ((body[2] & 0x07) << 1) | (body[3] >> 7);
  return AAC_RATES[index] ?? null;
}

/** Channel configuration (1 mono, 2 stereo, ...) of an AAC sequence header tag body, or null. */
export function aacChannels(body: Buffer): number | null {
  if (!isAacSequenceHeader(body) || body.length < 4) return null;
  return (body[3] >> 3) & 0x0f;
}

/**
 * One AAC-LC frame of silence (max_sfb = 0: no spectral data, so valid at any sample rate), as
 * FFmpeg's AAC encoder writes it for digital silence. Silence in the glasses' own format keeps the
 * encoder's decoder and resampler as they are when the glasses' sound pauses.
 */
export const SILENT_AAC_FRAME: Readonly<Record<1 | 2, Buffer>> = {
  1: Buffer.from('01182007', 'hex'),
  2: Buffer.from('211004608c1c', 'hex'),
};

/** Picture size of an AVC sequence header tag body (first SPS), or null when it cannot be read. */
export function avcPictureSize(body: Buffer): PictureSize | null {
  if (!isAvcSequenceHeader(body) || body.length < 5 + 8) return null;
  const record = body.subarray(5);
  if ((record[5] & 0x1f) < 1) return null;
  const spsLength = record.readUInt16BE(6);
  const sps = record.subarray(8, 8 + spsLength);
  if (sps.length !== spsLength || spsLength < 4) return null;
  try {
    return spsPictureSize(unescapeRbsp(sps.subarray(1)));
  } catch {
    return null;
  }
}

function unescapeRbsp(nal: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < nal.length; i++) {
    if (i >= 2 && nal[i] === 3 && nal[i - 1] === 0 && nal[i - 2] === 0) continue;
    out.push(nal[i]);
  }
  return Buffer.from(out);
}

class BitReader {
  private bit = 0;
  constructor(private readonly data: Buffer) {}
  u(n: number): number {
    let value = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.data[this.bit >> 3];
      if (byte === undefined) throw new RangeError('SPS ends early');
      value = value * 2 + ((byte >> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return value;
  }
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) if (++zeros > 31) throw new RangeError('bad Exp-Golomb code');
    return 2 ** zeros - 1 + this.u(zeros);
  }
  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -k / 2;
  }
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function spsPictureSize(rbsp: Buffer): PictureSize {
  const r = new BitReader(rbsp);
  const profile = r.u(8);
  r.u(16); // constraint flags, level
  r.ue(); // seq_parameter_set_id
  let chromaFormat = 1;
  if (HIGH_PROFILES.has(profile)) {
    chromaFormat = r.ue();
    if (chromaFormat === 3) r.u(1);
    r.ue(); // bit depth luma
    r.ue(); // bit depth chroma
    r.u(1);
    if (r.u(1)) {
      for (let i = 0; i < (chromaFormat === 3 ? 12 : 8); i++) {
        if (r.u(1)) skipScalingList(r, i < 6 ? 16 : 64);
      }
    }
  }
  r.ue(); // log2_max_frame_num_minus4
  const pocType = r.ue();
  if (pocType === 0) r.ue();
  else if (pocType === 1) {
    r.u(1);
    r.se();
    r.se();
    const cycle = r.ue();
    for (let i = 0; i < cycle; i++) r.se();
  }
  r.ue(); // max_num_ref_frames
  r.u(1);
  const widthInMbs = r.ue() + 1;
  const heightInMapUnits = r.ue() + 1;
  const frameMbsOnly = r.u(1);
  if (!frameMbsOnly) r.u(1);
  r.u(1);
  let crop = { left: 0, right: 0, top: 0, bottom: 0 };
  if (r.u(1)) crop = { left: r.ue(), right: r.ue(), top: r.ue(), bottom: r.ue() };
  const cropUnitX = chromaFormat === 0 || chromaFormat === 3 ? 1 : 2;
  const cropUnitY = (chromaFormat === 1 ? 2 : 1) * (2 - frameMbsOnly);
  const width = widthInMbs * 16 - cropUnitX * (crop.left + crop.right);
  const height = (2 - frameMbsOnly) * heightInMapUnits * 16 - cropUnitY * (crop.top + crop.bottom);
  if (width <= 0 || height <= 0) throw new RangeError('SPS gives no picture');
  return { width, height };
}

function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** What an AVC sequence header says of the stream: profile and level (as in the SPS), NAL length size. */
export interface AvcConfig {
  profile: number;
  /** level_idc: 31 means 3.1. */
  level: number;
  nalLengthSize: number;
  parameterSets: Buffer[];
}

/** Reads an AVC sequence header tag body (AVCDecoderConfigurationRecord), or null when it cannot. */
export function readAvcConfig(body: Buffer): AvcConfig | null {
  if (!isAvcSequenceHeader(body) || body.length < 5 + 7) return null;
  const record = body.subarray(5);
  const parameterSets: Buffer[] = [];
  let at = 5;
  const spsCount = record[at++] & 0x1f;
  try {
    for (let i = 0; i < spsCount; i++) at = readParameterSet(record, at, parameterSets);
    const ppsCount = record[at++];
    if (ppsCount === undefined) return null;
    for (let i = 0; i < ppsCount; i++) at = readParameterSet(record, at, parameterSets);
  } catch {
    return null;
  }
  return { profile: record[1], level: record[3], nalLengthSize: (record[4] & 0x3) + 1, parameterSets };
}

function readParameterSet(record: Buffer, at: number, into: Buffer[]): number {
  const length = record.readUInt16BE(at);
  const set = record.subarray(at + 2, at + 2 + length);
  if (set.length !== length || length === 0) throw new RangeError('parameter set ends early');
  into.push(set);
  return at + 2 + length;
}

/**
 * A keyframe's tag body with the stream's SPS and PPS in front of its pictures. A copy into MPEG-TS
 * (HLS) only inserts the first sequence header's parameter sets (FFmpeg 5.1's h264_mp4toannexb does not
 * follow a new one mid-stream, measured): pictures after a change decode only with their own in-band.
 */
export function withParameterSets(frame: Buffer, config: AvcConfig): Buffer {
  const nals = config.parameterSets.map((set) => {
    const length = Buffer.alloc(config.nalLengthSize);
    length.writeUIntBE(set.length, 0, config.nalLengthSize);
    return Buffer.concat([length, set]);
  });
  return Buffer.concat([frame.subarray(0, 5), ...nals, frame.subarray(5)]);
}
