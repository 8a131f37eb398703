import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { feedProgress, INITIAL_PROGRESS_STATE, parseProgress, type ProgressSnapshot } from './progress-parser';

/** Captured from the real encoder and forwarder (FFmpeg 5.1, Debian 12) during the pipeline runs. */
const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', `${name}.progress.txt`), 'utf8');

function feedInPieces(text: string, sizes: (i: number) => number): ProgressSnapshot[] {
  let state = INITIAL_PROGRESS_STATE;
  const snapshots: ProgressSnapshot[] = [];
  for (let at = 0, i = 0; at < text.length; i++) {
    const size = Math.max(1, sizes(i));
    const fed = feedProgress(state, text.slice(at, at + size));
    state = fed.state;
    snapshots.push(...fed.snapshots);
    at += size;
  }
  return snapshots;
}

describe('progress parser', () => {
  it('reads the encoder, whose tee output has no size or bitrate (N/A -> null)', () => {
    const snapshots = parseProgress(fixture('encoder-720p'));
    expect(snapshots).toHaveLength(9);
    expect(snapshots[0]).toEqual({
      frame: 31,
      fps: 0,
      bitrateKbps: null,
      totalSizeBytes: null,
      outTimeMs: 1033.333,
      dupFrames: 30,
      dropFrames: 0,
      speed: 1.35,
      ended: false,
    });
    // The glasses send 9-15 fps: about two output frames in three are duplicates.
    const last = snapshots[snapshots.length - 1];
    expect(last).toMatchObject({
      frame: 270,
      fps: 30.63,
      outTimeMs: 9093.021,
      dupFrames: 179,
      dropFrames: 0,
      speed: 1.03,
      ended: true,
    });
    expect(snapshots.slice(0, -1).every((s) => !s.ended)).toBe(true);
  });

  it('reads the forwarder, with size and bitrate, and its first block without a speed', () => {
    const snapshots = parseProgress(fixture('forwarder'));
    expect(snapshots[0]).toMatchObject({ frame: 1, bitrateKbps: 4200, totalSizeBytes: 525, outTimeMs: 1, speed: null });
    expect(snapshots.at(-1)).toMatchObject({
      frame: 121,
      bitrateKbps: 2650.4,
      totalSizeBytes: 1326863,
      outTimeMs: 4005,
      speed: 1.1,
      ended: true,
    });
  });

  it('keeps out_time advancing until a stalled destination blocks the forwarder (then nothing comes)', () => {
    const times = parseProgress(fixture('forwarder-stalled-destination')).map((s) => s.outTimeMs ?? -1);
    expect(times.every((t, i) => i === 0 || t > times[i - 1])).toBe(true);
    // Destination stopped reading at ~4.5 s of output; the kernel's send buffer hid it for ~6 s more.
    expect(times.at(-1)).toBeCloseTo(10634, 0);
  });

  it.each([
    ['one character at a time', () => 1],
    ['7-character pieces', () => 7],
    ['ragged pieces', (i: number) => (i * 37) % 101],
  ])('gives the same snapshots when fed in %s', (_name, sizes) => {
    for (const name of ['encoder-720p', 'forwarder']) {
      const text = fixture(name);
      expect(feedInPieces(text, sizes)).toEqual(parseProgress(text));
    }
  });

  it('emits a block only once progress= arrives, and holds a split line until its newline', () => {
    let fed = feedProgress(INITIAL_PROGRESS_STATE, 'frame=10\nfps=29.9');
    expect(fed.snapshots).toEqual([]);
    fed = feedProgress(fed.state, '7\nout_time_us=1000000\nprogre');
    expect(fed.snapshots).toEqual([]);
    fed = feedProgress(fed.state, 'ss=continue\nframe=11\n');
    expect(fed.snapshots).toEqual([expect.objectContaining({ frame: 10, fps: 29.97, outTimeMs: 1000, ended: false })]);
    expect(fed.state.fields).toEqual({ frame: '11' });
  });

  it('turns N/A, padding, missing keys and CRLF into numbers or null', () => {
    const [s] = parseProgress(
      'frame=0\r\nfps=N/A\r\nbitrate=N/A\r\ntotal_size=N/A\r\nout_time_us=N/A\r\nout_time_ms=N/A\r\nout_time=N/A\r\nspeed=   1x\r\nprogress=continue\r\n',
    );
    expect(s).toEqual({
      frame: 0,
      fps: null,
      bitrateKbps: null,
      totalSizeBytes: null,
      outTimeMs: null,
      dupFrames: null,
      dropFrames: null,
      speed: 1,
      ended: false,
    });
  });

  it('falls back to out_time_ms (microseconds too, despite its name) and then to out_time', () => {
    expect(parseProgress('out_time_ms=2500000\nprogress=continue')[0].outTimeMs).toBe(2500);
    expect(parseProgress('out_time=01:00:02.500000\nprogress=continue')[0].outTimeMs).toBe(3_602_500);
    expect(parseProgress('out_time=-00:00:00.040000\nprogress=continue')[0].outTimeMs).toBe(-40);
  });

  it('starts every block afresh', () => {
    const [first, second] = parseProgress('frame=5\ndup_frames=2\nprogress=continue\nframe=6\nprogress=end\n');
    expect(first).toMatchObject({ frame: 5, dupFrames: 2 });
    expect(second).toMatchObject({ frame: 6, dupFrames: null, ended: true });
  });

  it('ignores noise and drops an overlong line instead of buffering it forever', () => {
    let fed = feedProgress(INITIAL_PROGRESS_STATE, 'garbage without equals\n=no key\nframe=3\n');
    fed = feedProgress(fed.state, 'x'.repeat(5000));
    expect(fed.state.pending).toBe('');
    fed = feedProgress(fed.state, 'y=tail of the long line\nprogress=continue\n');
    expect(fed.snapshots).toEqual([expect.objectContaining({ frame: 3 })]);
    expect(fed.state.fields).toEqual({});
  });
});
