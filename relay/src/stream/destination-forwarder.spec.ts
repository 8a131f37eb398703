import type { ProgressSnapshot } from '../ffmpeg/progress-parser';
import type { ManagedProcess, ProcessState } from '../process/managed-process';
import { DestinationForwarder, STALL_MS } from './destination-forwarder';

/** A stand-in FFmpeg the test drives: progress and exits happen when the test says so. */
class FakeProcess {
  state: ProcessState = 'idle';
  killed = false;
  constructor(
    readonly emitProgress: (snapshot: ProgressSnapshot) => void,
    private readonly onExit: () => void,
    public stderr: string[] = [],
  ) {}
  start() {
    this.state = 'running';
  }
  progress(outTimeMs: number) {
    this.emitProgress({
      frame: outTimeMs / 33,
      fps: 30,
      bitrateKbps: 2500,
      totalSizeBytes: null,
      outTimeMs,
      dupFrames: 0,
      dropFrames: 0,
      speed: 1,
      ended: false,
    });
  }
  die(stderr: string[]) {
    this.stderr = stderr;
    this.state = 'exited';
    this.onExit();
  }
  kill() {
    this.killed = true;
    this.die(['killed']);
  }
  async stop() {
    this.state = 'exited';
    return { code: 0, signal: null, requested: true, stderrTail: [] };
  }
  stderrTail() {
    return this.stderr;
  }
}

function setup(source?: { outTimeMs: number | null }) {
  let now = 0;
  const processes: FakeProcess[] = [];
  const changes: string[] = [];
  const reconnects: number[] = [];
  const sut = new DestinationForwarder(
    { id: 'dst_1', name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2/secret-key-42' },
    {
      createProcess: (_target, onProgress, onExit) => {
        const fake = new FakeProcess(onProgress, onExit);
        processes.push(fake);
        return fake as unknown as ManagedProcess;
      },
      onChange: (forwarder) => changes.push(forwarder.status.status),
      onReconnect: () => reconnects.push(now),
      now: () => now,
      random: () => 1,
      graceMs: 100,
      ...(source ? { sourceOutTimeMs: () => source.outTimeMs } : {}),
    },
  );
  const advance = (ms: number) => {
    now += ms;
    jest.advanceTimersByTime(ms);
  };
  return { sut, processes, changes, reconnects, advance };
}

describe('DestinationForwarder', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('goes starting → broadcasting when data flows', () => {
    const { sut, processes, changes } = setup();
    sut.start();
    expect(sut.status).toEqual({ id: 'dst_1', status: 'starting' });
    processes[0].progress(500);
    expect(sut.status.status).toBe('broadcasting');
    expect(changes).toEqual(['starting', 'broadcasting']);
  });

  it('reports a refused connection without the key and retries with growing, capped delays', () => {
    const { sut, processes, advance, reconnects } = setup();
    sut.start();
    const refusal =
      '[tcp @ 0x1] Connection to tcp://a.rtmp.youtube.com:1935 failed: Connection refused rtmp://a.rtmp.youtube.com/live2/secret-key-42';
    processes[0].die([refusal]);
    expect(sut.status.status).toBe('errored');
    expect(sut.status.error).toContain('Connection refused');
    expect(sut.status.error).not.toContain('secret-key-42');
    advance(499);
    expect(processes).toHaveLength(1);
    advance(1);
    expect(processes).toHaveLength(2);
    processes[1].die([refusal]);
    advance(999);
    expect(processes).toHaveLength(2);
    advance(1);
    expect(processes).toHaveLength(3);
    for (let i = 3; i < 10; i++) {
      processes[i - 1].die([refusal]);
      advance(3000);
      expect(processes).toHaveLength(i + 1);
    }
    expect(reconnects).toHaveLength(9);
    processes[9].progress(100);
    expect(sut.status.status).toBe('broadcasting');
  });

  it('kills a destination that stops reading and says it stalled', () => {
    const { sut, processes, advance } = setup();
    sut.start();
    processes[0].progress(100);
    advance(STALL_MS - 500);
    processes[0].progress(200);
    advance(STALL_MS - 500);
    expect(processes[0].killed).toBe(false);
    while (!processes[0].killed) advance(100);
    expect(sut.status).toEqual({ id: 'dst_1', status: 'errored', error: 'the destination stopped accepting data (stalled)' });
  });

  it('does not mistake the glasses pausing for a stall, but catches a forwarder falling behind', () => {
    const source = { outTimeMs: 1000 as number | null };
    const { sut, processes, advance } = setup(source);
    sut.start();
    processes[0].progress(900);
    // The glasses pause: the encoder stops too, and so does the forwarder. Not a stall.
    advance(STALL_MS * 2);
    expect(processes[0].killed).toBe(false);
    expect(sut.status.status).toBe('broadcasting');
    // The encoder moves on while the destination stops taking data: a stall.
    source.outTimeMs = 1000 + STALL_MS + 500;
    while (!processes[0].killed && processes.length === 1) advance(100);
    expect(processes[0].killed).toBe(true);
  });

  it('stops for good: no retry after stop', async () => {
    const { sut, processes, advance } = setup();
    sut.start();
    await sut.stop();
    expect(sut.status.status).toBe('stopped');
    advance(10_000);
    expect(processes).toHaveLength(1);
  });
});
