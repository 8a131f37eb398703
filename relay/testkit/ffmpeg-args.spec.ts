import { planDirtyStream } from './dirty-stream-plan';
import {
  cleanEncodeArgs,
  copyPublishArgs,
  escapeFilterValue,
  probeArgs,
  renderArgs,
  renderJobArgs,
  renderJobs,
  RENDER_FPS,
} from './ffmpeg-args';

const after = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('renderArgs', () => {
  const plan = planDirtyStream(4, 12);

  it('renders exactly the planned frames, forcing keyframes at the planned frame indices', () => {
    const args = renderArgs(plan, '/tmp/out.flv');
    expect(after(args, '-frames:v')).toBe(String(plan.frames.length));
    const forced = (after(args, '-force_key_frames') ?? '').split(',').map((t) => Math.round(Number(t) * RENDER_FPS));
    expect(forced).toEqual(plan.frames.filter((f) => f.keyframe).map((f) => f.index));
    expect(after(args, '-x264-params')).toContain('scenecut=0');
    expect(args[args.length - 1]).toBe('/tmp/out.flv');
  });

  it('burns in a frame counter only when a font is given', () => {
    expect(renderArgs(plan, 'o.flv').join(' ')).not.toContain('drawtext');
    const withFont = renderArgs(plan, 'o.flv', { fontFile: '/fonts/a:b.ttf' }).join(' ');
    expect(withFont).toContain('drawtext=fontfile=/fonts/a\\:b.ttf');
    expect(withFont).toContain('%{frame_num}');
  });
});

describe('other argument lists', () => {
  it('publishes stdin FLV untouched', () => {
    expect(copyPublishArgs('rtmp://h/app/key')).toEqual(
      expect.arrayContaining(['-i', 'pipe:0', '-c', 'copy', 'rtmp://h/app/key']),
    );
  });

  it('encodes clean: CFR 30, IDR every 60 frames, audio on its own clock', () => {
    const args = cleanEncodeArgs('in.flv', [{ format: 'flv', target: 'rtmp://h/a/k' }]);
    expect(after(args, '-r')).toBe('30');
    expect(after(args, '-fps_mode')).toBe('cfr');
    expect(after(args, '-g')).toBe('60');
    expect(after(args, '-keyint_min')).toBe('60');
    expect(after(args, '-af')).toBe('aresample=async=1');
    expect(after(args, '-ar')).toBe('48000');
    expect(args.slice(-3)).toEqual(['-f', 'flv', 'rtmp://h/a/k']);
  });

  it('fans several outputs out of one encode through tee, with global headers for FLV', () => {
    const args = cleanEncodeArgs(
      'rtmp://h/in/k',
      [
        { format: 'flv', target: 'rtmp://h/a/k' },
        { format: 'hls', target: '/tmp/x/index.m3u8' },
      ],
      { live: true },
    );
    expect(after(args, '-rw_timeout')).toBe('2000000');
    expect(after(args, '-flags')).toBe('+global_header');
    expect(after(args, '-f')).toBe('tee');
    expect(args[args.length - 1]).toBe('[f=flv:onfail=ignore]rtmp://h/a/k|[f=hls:hls_time=2:hls_list_size=0]/tmp/x/index.m3u8');
  });

  it('probes with a read timeout for network sources and a bounded wait for live playlists', () => {
    const rtmp = probeArgs('rtmp://h/a/k', 12, 4000);
    expect(after(rtmp, '-rw_timeout')).toBe('4000000');
    expect(after(rtmp, '-read_intervals')).toBe('%+12');
    expect(rtmp).not.toContain('-live_start_index');
    const hls = probeArgs('/tmp/x/index.m3u8', 10);
    expect(hls).not.toContain('-rw_timeout');
    expect(after(hls, '-live_start_index')).toBe('0');
    expect(probeArgs('https://cdn/x/index.m3u8?token=1', 10)).toEqual(
      expect.arrayContaining(['-rw_timeout', '-m3u8_hold_counters']),
    );
    expect(probeArgs('/tmp/a.flv', 10).slice(-5)).toEqual(['-show_packets', '-show_streams', '-of', 'json', '/tmp/a.flv']);
  });

  it('escapes filter option values', () => {
    expect(escapeFilterValue("a:b,c'd\\e")).toBe("a\\:b\\,c\\'d\\\\e");
  });
});

describe('renderJobs', () => {
  it('is one render carrying the audio for a default plan', () => {
    const jobs = renderJobs(planDirtyStream(4, 12));
    expect(jobs).toHaveLength(1);
    expect(jobs[0].audio).not.toBeNull();
  });

  it('renders each size segment on its own and the audio apart when the first segment is too short for it', () => {
    const plan = planDirtyStream(4, 12, { size: '720x1280', resizes: [{ atSec: 5, size: '640x480' }], audio: 'stereo48' });
    const jobs = renderJobs(plan);
    expect(jobs.map((j) => [j.size, j.frameCount, j.audio?.sampleRate ?? null])).toEqual([
      [{ width: 720, height: 1280 }, plan.videoSegments[0].frameCount, null],
      [{ width: 640, height: 480 }, plan.videoSegments[1].frameCount, null],
      [expect.anything(), 0, 48000],
    ]);
    const second = renderJobArgs(jobs[1], 'o.flv', { fontFile: '/f.ttf' });
    expect(second.join(' ')).toContain('testsrc2=size=640x480');
    expect(second.join(' ')).toContain(`%{eif\\:n+${plan.videoSegments[1].firstFrame}\\:d}`);
    expect(after(second, '-force_key_frames')?.split(',')[0]).toBe('0.0');
    expect(second).not.toContain('-c:a');
    const audioOnly = renderJobArgs(jobs[2], 'a.flv');
    expect(audioOnly.join(' ')).not.toContain('testsrc2');
    expect(audioOnly).not.toContain('-frames:v');
    expect(after(audioOnly, '-map')).toBe('0:a');
    expect(after(audioOnly, '-ac')).toBe('2');
    expect(() => renderArgs(plan, 'o.flv')).toThrow(/renderJobs/);
  });

  it('leaves audio out entirely without an audio track', () => {
    const [job] = renderJobs(planDirtyStream(4, 12, { audio: 'none' }));
    const args = renderJobArgs(job, 'o.flv');
    expect(args.join(' ')).not.toContain('sine=');
    expect(args).not.toContain('-c:a');
  });
});
