import { buildEncoderArgs, QUALITY_PROFILES, type EncoderArgsInput } from './encoder-args';

const INPUT: EncoderArgsInput = {
  inputUrl: 'rtmp://127.0.0.1:1935/live/user-7/stream-42',
  hlsDir: '/var/lib/relay/hls/stream-42',
  cleanOutputUrl: 'rtmp://127.0.0.1:1935/clean/stream-42',
  quality: '720p',
};

function setup(overrides: Partial<EncoderArgsInput> = {}) {
  const args = buildEncoderArgs({ ...INPUT, ...overrides });
  const inputAt = args.indexOf('-i');
  /** The value following `flag`, which must appear exactly once. */
  const value = (flag: string): string => {
    const at = args.indexOf(flag);
    expect(args.lastIndexOf(flag)).toBe(at);
    expect(at).toBeGreaterThanOrEqual(0);
    return args[at + 1];
  };
  const before = (flag: string): boolean => args.indexOf(flag) >= 0 && args.indexOf(flag) < inputAt;
  const after = (flag: string): boolean => args.lastIndexOf(flag) > inputAt;
  const inputValue = (flag: string): string | undefined => (before(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const outputValue = (flag: string): string | undefined => (after(flag) ? args[args.lastIndexOf(flag) + 1] : undefined);
  const tee = args[args.length - 1];
  return { args, value, before, after, inputValue, outputValue, tee };
}

describe('buildEncoderArgs', () => {
  it('reads the glasses stream with the application and stream name spelled out', () => {
    const { args, value, before } = setup();
    expect(value('-i')).toBe(INPUT.inputUrl);
    expect(value('-rtmp_app')).toBe('live');
    expect(value('-rtmp_playpath')).toBe('user-7/stream-42');
    expect(before('-rtmp_app') && before('-rtmp_playpath')).toBe(true);
    expect(args).toEqual(expect.arrayContaining(['-map', '0:v:0', '-map', '0:a:0']));
  });

  it('stamps on arrival, probes only until both streams are known, and times out dead reads', () => {
    const { args, value, before, inputValue } = setup();
    expect(value('-use_wallclock_as_timestamps')).toBe('1');
    // No frame-threading delay in the decoder.
    expect(inputValue('-flags')).toBe('low_delay');
    expect(value('-fpsprobesize')).toBe('0');
    expect(Number(value('-analyzeduration'))).toBeGreaterThan(5_000_000); // outlasts the glasses' keyframe gaps
    expect(value('-rw_timeout')).toBe('5000000');
    for (const flag of ['-use_wallclock_as_timestamps', '-fpsprobesize', '-analyzeduration', '-probesize', '-rw_timeout']) {
      expect(before(flag)).toBe(true);
    }
    // nobuffer would drop the packets read while probing, possibly the only keyframe for seconds.
    expect(args).not.toContain('nobuffer');
    // The RTMP protocol's -timeout is a listen timeout; it would turn the client into a server.
    expect(args).not.toContain('-timeout');
  });

  it('reports progress on stdout and keeps stderr quiet', () => {
    const { value, args } = setup();
    expect(value('-progress')).toBe('pipe:1');
    expect(args).toEqual(expect.arrayContaining(['-nostats', '-nostdin', '-hide_banner']));
    expect(value('-loglevel')).toBe('warning');
  });

  it('makes constant 30 fps with an IDR every 2 s and nowhere else', () => {
    const { value, after } = setup();
    expect(value('-r')).toBe('30');
    expect(value('-fps_mode')).toBe('cfr');
    expect(value('-g')).toBe('60');
    expect(value('-keyint_min')).toBe('60');
    expect(value('-sc_threshold')).toBe('0');
    expect(value('-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
    expect(after('-r') && after('-g')).toBe(true);
  });

  it('encodes H.264 High with x264 veryfast/zerolatency (no B-frames, no lookahead) and AAC 48 kHz stereo', () => {
    const { value } = setup();
    expect(value('-c:v')).toBe('libx264');
    expect(value('-preset')).toBe('veryfast');
    expect(value('-tune')).toBe('zerolatency');
    expect(value('-profile:v')).toBe('high');
    expect(value('-pix_fmt')).toBe('yuv420p');
    expect(value('-af')).toBe('aresample=async=1');
    expect(value('-c:a')).toBe('aac');
    expect(value('-ar')).toBe('48000');
    expect(value('-ac')).toBe('2');
  });

  it.each([
    ['480p', 854, 480, '1200k', '3.1'],
    ['720p', 1280, 720, '2500k', '3.1'],
    ['1080p', 1920, 1080, '4500k', '4.1'],
  ] as const)('caps %s at %ix%i, %s, level %s', (quality, width, height, rate, level) => {
    const { value } = setup({ quality });
    expect(value('-b:v')).toBe(rate);
    expect(value('-maxrate')).toBe(rate);
    expect(value('-bufsize')).toBe(rate);
    expect(value('-level:v')).toBe(level);
    // Fits the box, keeps the aspect ratio, never scales up.
    expect(value('-vf')).toBe(
      `scale=w=min(iw\\,${width}):h=min(ih\\,${height}):force_original_aspect_ratio=decrease:force_divisible_by=2`,
    );
    expect(QUALITY_PROFILES[quality].videoKbps).toBe(Number.parseInt(rate, 10));
  });

  it('fans one encode out with tee: HLS into hlsDir and FLV to the clean application', () => {
    const { value, outputValue, tee } = setup();
    expect(value('-f')).toBe('tee');
    // The FLV slave needs SPS/PPS as extradata; tee itself does not ask for it.
    expect(outputValue('-flags')).toBe('+global_header');
    const [hls, flv] = tee.split('|');
    expect(hls).toBe(
      '[f=hls:onfail=ignore:hls_time=2:hls_list_size=5:hls_flags=delete_segments+independent_segments' +
        ':hls_start_number_source=epoch:hls_segment_filename=/var/lib/relay/hls/stream-42/segment_%d.ts]' +
        '/var/lib/relay/hls/stream-42/index.m3u8',
    );
    expect(flv).toBe('[f=flv:onfail=abort:flvflags=no_duration_filesize]rtmp://127.0.0.1:1935/clean/stream-42');
  });

  it('escapes awkward directories for the tee muxer and ignores a trailing slash', () => {
    expect(setup({ hlsDir: '/srv/hls/' }).tee).toContain(']/srv/hls/index.m3u8|');
    expect(setup({ hlsDir: '/srv/a b:c' }).tee).toContain(
      'hls_segment_filename=/srv/a\\\\\\ b\\\\:c/segment_%d.ts]/srv/a\\ b:c/index.m3u8|',
    );
  });

  it.each([
    [{ hlsDir: 'relative/dir' }, /hlsDir/],
    [{ hlsDir: '/srv/100%' }, /hlsDir/],
    [{ cleanOutputUrl: 'rtmp://127.0.0.1/clean/a/b' }, /cleanOutputUrl/],
    [{ inputUrl: 'rtmp://127.0.0.1/live' }, /application/],
  ])('refuses %o', (overrides, message) => {
    expect(() => buildEncoderArgs({ ...INPUT, ...overrides })).toThrow(message);
  });
});
