/**
 * Real FLV tag bodies captured once from FFmpeg 4.4 / libx264 (the FLV files themselves are not kept):
 *   ffmpeg -f lavfi -i testsrc=s=WxH:r=10 -f lavfi -i sine=r=44100 -t 0.3 \
 *     -c:v libx264 -profile:v PROFILE -pix_fmt yuv420p -c:a aac -ac 1 -f flv out.flv
 * (testsrc is 4:4:4, hence -pix_fmt; the high444 one uses yuv444p), and for the silence:
 *   ffmpeg -f lavfi -i anullsrc=r=RATE:cl=LAYOUT -t 0.3 -c:a aac -f flv out.flv
 * Each AVC body is the first video tag (AVCPacketType 0: FLV video byte, packet type, composition
 * time, then the AVCDecoderConfigurationRecord with one SPS and one PPS).
 */

export interface AvcSequenceHeaderFixture {
  name: string;
  width: number;
  height: number;
  hex: string;
}

export const AVC_SEQUENCE_HEADERS: readonly AvcSequenceHeaderFixture[] = [
  {
    name: '1280x720 high',
    width: 1280,
    height: 720,
    hex: '17000000000164001fffe1001a6764001facd9405005bb011000000300100000030140f183196001000668ebe3cb22c0fdf8f800',
  },
  {
    name: '720x1280 high (portrait)',
    width: 720,
    height: 1280,
    hex: '17000000000164001fffe1001a6764001facd940b40a1b011000000300100000030140f183196001000668ebe3cb22c0fdf8f800',
  },
  {
    name: '1280x720 main',
    width: 1280,
    height: 720,
    hex: '1700000000014d401fffe10019674d401feca02802dd8088000003000800000300a078c18cb001000568ebe3cb20',
  },
  {
    name: '640x480 baseline',
    width: 640,
    height: 480,
    hex: '17000000000142c016ffe100186742c016d900a03db011000003000100000300140f162e4801000568cb83cb20',
  },
  {
    name: '1920x1080 high (1088 coded, cropped by 8)',
    width: 1920,
    height: 1080,
    hex: '170000000001640028ffe1001b67640028acd940780227e5c044000003000400000300503c60c65801000668ebe3cb22c0fdf8f800',
  },
  {
    name: '1920x1080 baseline (1088 coded, cropped by 8)',
    width: 1920,
    height: 1080,
    hex: '17000000000142c028ffe1001a6742c028d900780227e5c044000003000400000300503c60c92001000568cb83cb20',
  },
  {
    name: '854x480 high (864 coded, cropped by 10)',
    width: 854,
    height: 480,
    hex: '170000000001640016ffe1001a67640016acd940d83de6f011000003000100000300140f162d9601000668ebe3cb22c0fdf8f800',
  },
  {
    name: '854x480 high 4:4:4 (chroma_format_idc 3: crop unit 1)',
    width: 854,
    height: 480,
    hex: '170000000001f40016ffe1001b67f40016919b281b07bc5f8088000003000800000300a078b16cb001000668ebe3c44844fff8f800',
  },
];

/** AAC sequence header bodies (FLV audio byte 0xaf, packet type 0, AudioSpecificConfig). */
export const AAC_SEQUENCE_HEADERS = {
  /** AAC-LC 44.1 kHz mono, with FFmpeg's trailing SBR sync extension. */
  mono44100: 'af00120856e500',
  /** AAC-LC 16 kHz mono. */
  mono16000: 'af00140856e500',
  /** AAC-LC 48 kHz stereo. */
  stereo48000: 'af00119056e500',
} as const;

/**
 * Raw AAC frames (after the 0xaf 0x01 FLV prefix) FFmpeg's encoder wrote for anullsrc, after its
 * first frame (which carries its encoder string in a fill element).
 */
export const FFMPEG_SILENT_AAC_FRAMES = {
  mono16000: '01182007',
  stereo48000: '211004608c1c',
} as const;
