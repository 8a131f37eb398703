import { buildCopyArgs, buildEncoderArgs, type EncoderArgsInput } from './encoder-args';
import { outputSize, QUALITY_PROFILES } from './output-format';

const INPUT: EncoderArgsInput = {
  hlsDir: '/var/lib/relay/hls/stream-42',
  quality: '720p',
  size: { width: 1280, height: 720 },
  startMs: 0,
};

function setup(overrides: Partial<EncoderArgsInput> = {}) {
  const args = buildEncoderArgs({ ...INPUT, ...overrides });
  const inputAt = args.indexOf('-i');
  const value = (flag: string): string => {
    const at = args.indexOf(flag);
    expect(args.lastIndexOf(flag)).toBe(at);
    expect(at).toBeGreaterThanOrEqual(0);
    return args[at + 1];
  };
  const before = (flag: string): boolean => args.indexOf(flag) >= 0 && args.indexOf(flag) < inputAt;
  const tee = args[args.length - 1];
  return { args, value, before, tee };
}

describe('buildEncoderArgs', () => {
  it("reads the output clock's FLV on stdin and keeps stdout for media, progress on fd 3", () => {
    const { value, before, args } = setup();
    expect(value('-i')).toBe('pipe:0');
    expect(args[args.indexOf('-f') + 1]).toBe('flv');
    expect(before('-f')).toBe(true);
    expect(value('-progress')).toBe('pipe:3');
    expect(args).toEqual(expect.arrayContaining(['-map', '0:v:0', '-map', '0:a:0', '-nostdin', '-nostats']));
    // The clock restamps everything: no wall-clock stamping in the encoder any more.
    expect(args).not.toContain('-use_wallclock_as_timestamps');
    expect(args).not.toContain('-copyts'); // with CFR it would fill from zero to the first timestamp
  });

  it('holds one size for the life of the stream: scaled to fit, padded, square pixels', () => {
    expect(setup().value('-vf')).toBe(
      'scale=w=1280:h=720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1',
    );
    expect(setup({ size: { width: 720, height: 1280 } }).value('-vf')).toContain('pad=720:1280');
  });

  it('makes constant 30 fps with an IDR every 2 s and nowhere else', () => {
    const { value } = setup();
    expect(value('-r')).toBe('30');
    expect(value('-fps_mode')).toBe('cfr');
    expect(value('-g')).toBe('60');
    expect(value('-keyint_min')).toBe('60');
    expect(value('-sc_threshold')).toBe('0');
    expect(value('-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
  });

  it.each(['480p', '720p', '1080p'] as const)('encodes %s at its bitrate and level', (quality) => {
    const profile = QUALITY_PROFILES[quality];
    const { value } = setup({ quality, size: outputSize(quality, null) });
    expect(value('-b:v')).toBe(`${profile.videoKbps}k`);
    expect(value('-maxrate')).toBe(`${profile.videoKbps}k`);
    expect(value('-level:v')).toBe(profile.level);
  });

  it('puts a restarted encoder back on the stream clock', () => {
    expect(setup({ startMs: 45_250 }).value('-output_ts_offset')).toBe('45.250');
    expect(setup().value('-output_ts_offset')).toBe('0.000');
  });

  it('writes HLS (continuing the playlist after a restart) and FLV on stdout from one encode', () => {
    const { tee } = setup();
    expect(tee).toContain('[f=hls:onfail=ignore:hls_time=2');
    expect(tee).toContain('append_list');
    expect(tee).toContain('/var/lib/relay/hls/stream-42/index.m3u8');
    expect(tee).toMatch(/\|\[f=flv:onfail=abort:flvflags=no_duration_filesize\]pipe:1$/);
  });

  it('encodes with libx264 unless told otherwise', () => {
    const { value, args } = setup();
    expect(value('-c:v')).toBe('libx264');
    // Chosen by bench/relay/encoder-settings.ts: ~0.9x the CPU of veryfast on all threads.
    expect(value('-preset')).toBe('superfast');
    expect(value('-threads')).toBe('1');
    expect(args).toEqual(buildEncoderArgs({ ...INPUT, videoEncoder: 'libx264' }));
    expect(args).not.toContain('-init_hw_device');
  });

  it('a hardware encoder gets its device before the input and its upload at the end of the filter chain', () => {
    const { value, before } = setup({ videoEncoder: 'h264_vaapi' });
    expect(value('-c:v')).toBe('h264_vaapi');
    expect(before('-init_hw_device')).toBe(true);
    expect(value('-vf')).toMatch(/,setsar=1,format=nv12,hwupload$/);
    expect(value('-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
  });

  it('refuses what would corrupt its arguments', () => {
    expect(() => setup({ hlsDir: 'relative/dir' })).toThrow(/absolute/);
    expect(() => setup({ hlsDir: '/tmp/100%' })).toThrow(/%/);
    expect(() => setup({ size: { width: 1281, height: 720 } })).toThrow(/even/);
  });
});

describe('outputSize', () => {
  it('applies the quality box to the long side and keeps portrait input portrait', () => {
    expect(outputSize('720p', { width: 1280, height: 720 })).toEqual({ width: 1280, height: 720 });
    expect(outputSize('720p', { width: 720, height: 1280 })).toEqual({ width: 720, height: 1280 });
    expect(outputSize('1080p', { width: 640, height: 480 })).toEqual({ width: 1920, height: 1080 });
    expect(outputSize('480p', null)).toEqual({ width: 854, height: 480 });
  });
});

describe('buildCopyArgs', () => {
  it('copies the pictures, and the sound only when asked (else encodes it into the encode format)', () => {
    const copied = buildCopyArgs({ hlsDir: '/var/hls/s1', startMs: 2500, copyAudio: true }).join(' ');
    expect(copied).toContain('-map 0:v:0 -map 0:a:0 -c:v copy -c:a copy -output_ts_offset 2.500');
    expect(copied).not.toMatch(/libx264|-vf|-r 30/);
    const encodedSound = buildCopyArgs({ hlsDir: '/var/hls/s1', startMs: 0, copyAudio: false }).join(' ');
    expect(encodedSound).toContain('-c:v copy -af aresample=async=1 -c:a aac -b:a 128k -ar 48000 -ac 2');
    expect(encodedSound).toContain('/var/hls/s1/index.m3u8');
  });
});
