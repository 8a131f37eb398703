import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chooseVideoEncoder, parseEncoderList, trialEncodeArgs, type FfmpegRun, type RunFfmpeg } from './encoder-detection';

/** Captured from Debian 12's FFmpeg 5.1 (`ffmpeg -hide_banner -encoders`) on a machine without a GPU. */
const ENCODERS = readFileSync(path.join(__dirname, 'fixtures/ffmpeg-5.1-encoders.txt'), 'utf8');
const NVENC_FAILS = '[h264_nvenc @ 0x55c69d9f1640] Cannot load libcuda.so.1\nError initializing output stream 0:0 --\n';

/**
 * A strict fake FFmpeg: `-encoders` prints `encoders`; a trial encode of encoder X gives trials[X],
 * and a trial of an encoder without an answer fails the test.
 */
function setup(trials: Record<string, FfmpegRun>, encoders = ENCODERS) {
  const calls: string[][] = [];
  const runFfmpeg: jest.MockedFunction<RunFfmpeg> = jest.fn((args: readonly string[]) => {
    calls.push([...args]);
    if (args.includes('-encoders')) return Promise.resolve({ code: 0, output: encoders });
    const encoder = args[args.indexOf('-c:v') + 1];
    const answer = trials[encoder];
    if (!answer) throw new Error(`unexpected trial encode with ${encoder}`);
    return Promise.resolve(answer);
  });
  const tried = () => calls.filter((a) => a.includes('-c:v')).map((a) => a[a.indexOf('-c:v') + 1]);
  return { runFfmpeg, calls, tried };
}

const ok: FfmpegRun = { code: 0, output: '' };
const failed = (output: string): FfmpegRun => ({ code: 1, output });

describe('parseEncoderList', () => {
  it("reads the names from FFmpeg 5.1's list, not the legend", () => {
    const names = parseEncoderList(ENCODERS);
    for (const name of ['libx264', 'h264_nvenc', 'h264_vaapi', 'h264_qsv', 'aac', 'flv']) expect(names.has(name)).toBe(true);
    expect(names.has('=')).toBe(false);
    expect(names.has('Video')).toBe(false);
    const listed = ENCODERS.split(' ------\n')[1].trim().split('\n');
    expect(names.size).toBe(listed.length);
  });

  it('finds nothing in output that is not the list', () => {
    expect(parseEncoderList('ffmpeg: unrecognized option')).toEqual(new Set());
  });
});

describe('trialEncodeArgs', () => {
  it('encodes one synthetic frame to nowhere with the options the relay will use', () => {
    const args = trialEncodeArgs('h264_vaapi');
    expect(args.slice(args.indexOf('-f'), args.indexOf('-f') + 4)).toEqual([
      '-f',
      'lavfi',
      '-i',
      'color=c=black:s=1920x1080:r=30',
    ]);
    expect(args[args.indexOf('-frames:v') + 1]).toBe('1');
    expect(args[args.indexOf('-vf') + 1]).toBe('format=yuv420p,format=nv12,hwupload');
    expect(args.indexOf('-init_hw_device')).toBeLessThan(args.indexOf('-i'));
    expect(args.slice(-3)).toEqual(['-f', 'null', '-']);
  });
});

describe('chooseVideoEncoder', () => {
  it('libx264: runs nothing', async () => {
    const { runFfmpeg } = setup({});
    await expect(chooseVideoEncoder('libx264', runFfmpeg)).resolves.toMatchObject({ encoder: 'libx264', warning: null });
    expect(runFfmpeg).not.toHaveBeenCalled();
  });

  it('a hardware encoder whose trial passes is used', async () => {
    const { runFfmpeg, tried } = setup({ h264_vaapi: ok });
    const choice = await chooseVideoEncoder('h264_vaapi', runFfmpeg);
    expect(choice).toMatchObject({ encoder: 'h264_vaapi', warning: null });
    expect(tried()).toEqual(['h264_vaapi']);
  });

  it("falls back to libx264 with a warning naming FFmpeg's reason when the trial fails (no GPU)", async () => {
    const { runFfmpeg } = setup({ h264_nvenc: failed(NVENC_FAILS) });
    const choice = await chooseVideoEncoder('h264_nvenc', runFfmpeg);
    expect(choice.encoder).toBe('libx264');
    expect(choice.warning).toMatch(/^RELAY_VIDEO_ENCODER=h264_nvenc does not work on this machine, encoding with libx264/);
    expect(choice.warning).toContain('Cannot load libcuda.so.1');
  });

  it('falls back without a trial when this FFmpeg has no such encoder', async () => {
    const withoutQsv = ENCODERS.split('\n')
      .filter((l) => !l.includes('h264_qsv'))
      .join('\n');
    const { runFfmpeg, tried } = setup({}, withoutQsv);
    const choice = await chooseVideoEncoder('h264_qsv', runFfmpeg);
    expect(choice.encoder).toBe('libx264');
    expect(choice.warning).toContain('not in `ffmpeg -encoders`');
    expect(tried()).toEqual([]);
  });

  it('auto: the first hardware encoder that passes, in order', async () => {
    const { runFfmpeg, tried } = setup({ h264_nvenc: failed(NVENC_FAILS), h264_qsv: ok });
    await expect(chooseVideoEncoder('auto', runFfmpeg)).resolves.toMatchObject({ encoder: 'h264_qsv', warning: null });
    expect(tried()).toEqual(['h264_nvenc', 'h264_qsv']);
  });

  it('auto without a GPU: libx264, no warning (expected), every trial recorded', async () => {
    const noDisplay = failed('[AVHWDeviceContext @ 0x5593] No VA display found for device /dev/dri/renderD128.\n');
    const { runFfmpeg } = setup({ h264_nvenc: failed(NVENC_FAILS), h264_qsv: noDisplay, h264_vaapi: noDisplay });
    const choice = await chooseVideoEncoder('auto', runFfmpeg);
    expect(choice).toMatchObject({ encoder: 'libx264', warning: null });
    expect(choice.trials.map((t) => [t.encoder, t.ok])).toEqual([
      ['h264_nvenc', false],
      ['h264_qsv', false],
      ['h264_vaapi', false],
    ]);
    expect(choice.summary).toContain('No VA display found');
  });

  it('an FFmpeg that cannot list its encoders: libx264 with a warning', async () => {
    const runFfmpeg: RunFfmpeg = jest.fn(() => Promise.resolve(failed('exec format error')));
    const choice = await chooseVideoEncoder('h264_vaapi', runFfmpeg);
    expect(choice.encoder).toBe('libx264');
    expect(choice.warning).toContain('h264_vaapi');
  });
});
