import { strictFake } from '../../../test/support/strict-fake';
import { serializeFlvHeader, serializeFlvTag, type FlvTag } from '../flv/flv-tags';
import { avcFrame, avcHeader } from '../flv/flv-tags.fixtures';
import type { ManagedProcess, ProcessExit } from '../process/managed-process';
import {
  ENCODER_RESTART_BACKOFF,
  ENCODER_STALL_MS,
  ENCODER_START_TIMEOUT_MS,
  EncoderRunner,
  type EncoderRunnerOptions,
} from './encoder-runner';

type CreateOptions = Parameters<EncoderRunnerOptions['createProcess']>[0];

const HEADER = serializeFlvHeader({ hasAudio: true, hasVideo: true });
const key = (ts: number, marker = 0): FlvTag => ({ kind: 'video', timestampMs: ts, data: avcFrame(true, marker) });
const inter = (ts: number, marker = 0): FlvTag => ({ kind: 'video', timestampMs: ts, data: avcFrame(false, marker) });
const flv = (...tags: FlvTag[]): Buffer => Buffer.concat([HEADER, ...tags.map(serializeFlvTag)]);
const offsetArg = (args: readonly string[]): string => args[args.indexOf('-output_ts_offset') + 1];

/** A process the test drives: what was written to it, its output, its exit. */
function fakeProcess(options: CreateOptions) {
  const writes: Buffer[] = [];
  let resolveExit: (exit: ProcessExit) => void = () => undefined;
  const exited = new Promise<ProcessExit>((resolve) => (resolveExit = resolve));
  const stop = jest.fn(async () => {
    resolveExit({ code: null, signal: 'SIGINT', requested: true, stderrTail: [] });
    return exited;
  });
  const calls = { start: jest.fn(), kill: jest.fn(), endInput: jest.fn(), stop };
  const process = strictFake<ManagedProcess>('ManagedProcess', {
    ...calls,
    write: (data: Buffer) => writes.push(data) > 0,
    stdinBacklog: 0,
    waitForExit: () => exited,
  });
  return {
    process,
    options,
    writes,
    calls,
    output: (bytes: Buffer) => options.onStdoutBytes?.(bytes),
    exit(code: number | null, signal: NodeJS.Signals | null = null) {
      const exit = { code, signal, requested: false, stderrTail: [] };
      resolveExit(exit);
      options.onExit?.(exit);
    },
  };
}

function setup() {
  const processes: ReturnType<typeof fakeProcess>[] = [];
  const outputs: FlvTag[] = [];
  const onRunning = jest.fn();
  const onRestart = jest.fn<void, [string]>();
  const onModeChange = jest.fn<void, [string, string]>();
  let primeAt = 7000;
  const input = jest.fn(() => {
    sut.write(key(primeAt, 99)); // what the output clock writes for a fresh encoder
    return primeAt;
  });
  const sut: EncoderRunner = new EncoderRunner(
    strictFake<EncoderRunnerOptions>('EncoderRunnerOptions', {
      createProcess: (options) => {
        const fake = fakeProcess(options);
        processes.push(fake);
        return fake.process;
      },
      input,
      onOutput: (tag) => void outputs.push(tag),
      onRunning,
      onRestart,
      onModeChange,
      onStderrLine: jest.fn(),
      now: () => Date.now(),
      streamClock: () => 0,
      graceMs: 3000,
      videoEncoder: 'libx264',
    }),
  );
  /** Started with the stream's first picture already written (see the test of a start before any input). */
  const start = () => {
    sut.write(key(0, 0));
    sut.start({ width: 1280, height: 720 }, '720p', '/var/hls/s1');
  };
  return {
    sut,
    mocks: { processes, outputs, onRunning, onRestart, onModeChange, input, start, primeAt: (ms: number) => void (primeAt = ms) },
  };
}

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => jest.useRealTimers());

describe('EncoderRunner', () => {
  it('keeps what was written before the start and feeds it after the FLV header, from its first timestamp', () => {
    const { sut, mocks } = setup();
    sut.write({ kind: 'video', timestampMs: 1234, data: avcHeader() });
    sut.write(key(1234, 1));
    sut.start({ width: 1280, height: 720 }, '720p', '/var/hls/s1');
    const [encoder] = mocks.processes;
    expect(encoder.calls.start).toHaveBeenCalledTimes(1);
    expect(encoder.options.stdin).toBe(true);
    expect(offsetArg(encoder.options.args)).toBe('1.234');
    sut.write(inter(1267, 2));
    expect(encoder.writes).toEqual([
      HEADER,
      serializeFlvTag({ kind: 'video', timestampMs: 1234, data: avcHeader() }),
      serializeFlvTag(key(1234, 1)),
      serializeFlvTag(inter(1267, 2)),
    ]);
    expect(mocks.input).not.toHaveBeenCalled(); // the first start takes what was written
  });

  it('started before any input, launches with the first tag, on the clock from that tag', () => {
    const { sut, mocks } = setup();
    sut.start({ width: 1280, height: 720 }, '720p', '/var/hls/s1');
    expect(mocks.processes).toHaveLength(0);
    sut.write({ kind: 'audio', timestampMs: 345, data: Buffer.from('af001190', 'hex') });
    expect(mocks.processes).toHaveLength(1);
    expect(offsetArg(mocks.processes[0].options.args)).toBe('0.345');
    sut.write(key(380, 1));
    expect(mocks.processes[0].writes).toEqual([
      HEADER,
      serializeFlvTag({ kind: 'audio', timestampMs: 345, data: Buffer.from('af001190', 'hex') }),
      serializeFlvTag(key(380, 1)),
    ]);
  });

  it('passes the output tags on, however the bytes are cut, and reports running once', () => {
    const { sut, mocks } = setup();
    mocks.start();
    const [encoder] = mocks.processes;
    const bytes = flv(key(0, 1), inter(33, 2), inter(66, 3));
    expect(sut.running).toBe(false);
    for (let i = 0; i < bytes.length; i += 7) encoder.output(bytes.subarray(i, i + 7));
    expect(mocks.outputs).toEqual([key(0, 1), inter(33, 2), inter(66, 3)]);
    expect(mocks.onRunning).toHaveBeenCalledTimes(1);
    expect(sut.running).toBe(true);
  });

  it('replaces an encoder that stops producing for 1.2 s, fed again from the output clock', async () => {
    const { sut, mocks } = setup();
    mocks.start();
    const [first] = mocks.processes;
    first.output(flv(key(0, 1)));
    sut.write(inter(1250, 3)); // pictures keep going in: output is owed
    await jest.advanceTimersByTimeAsync(ENCODER_STALL_MS);
    expect(first.calls.kill).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(250);
    expect(first.calls.kill).toHaveBeenCalledTimes(1);

    sut.write(inter(1300, 2)); // between the exit and the relaunch: not worth keeping
    first.exit(null, 'SIGKILL');
    expect(mocks.onRestart).toHaveBeenCalledWith(`the encoder stalled (no output for ${ENCODER_STALL_MS} ms)`);
    expect(mocks.processes).toHaveLength(1);
    mocks.primeAt(7000);
    await jest.advanceTimersByTimeAsync(ENCODER_RESTART_BACKOFF.initialMs); // the first restart is (nearly) immediate
    expect(mocks.processes).toHaveLength(2);
    const [, second] = mocks.processes;
    expect(mocks.input).toHaveBeenCalledTimes(1);
    expect(offsetArg(second.options.args)).toBe('7.000');
    expect(second.writes).toEqual([HEADER, serializeFlvTag(key(7000, 99))]);

    // The old process's late output is not the new one's.
    first.output(flv(key(50, 5)));
    expect(mocks.outputs).toEqual([key(0, 1)]);
    second.output(flv(key(7000, 6)));
    expect(mocks.onRunning).toHaveBeenCalledTimes(2);
  });

  it('leaves alone an encoder that is silent because no picture went in (the glasses paused)', async () => {
    const { mocks } = setup();
    mocks.start();
    const [first] = mocks.processes;
    first.output(flv(key(0, 1)));
    await jest.advanceTimersByTimeAsync(ENCODER_STALL_MS * 3);
    expect(first.calls.kill).not.toHaveBeenCalled();
  });

  it('replaces an encoder that produced nothing within its start timeout', async () => {
    const { mocks } = setup();
    mocks.start();
    const [first] = mocks.processes;
    await jest.advanceTimersByTimeAsync(ENCODER_START_TIMEOUT_MS);
    expect(first.calls.kill).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(250);
    expect(first.calls.kill).toHaveBeenCalled();
    first.exit(null, 'SIGKILL');
    expect(mocks.onRestart).toHaveBeenCalledWith(`the encoder produced nothing within ${ENCODER_START_TIMEOUT_MS / 1000} s`);
  });

  it('restarts an encoder that exits by itself, saying how it exited', async () => {
    const { mocks } = setup();
    mocks.start();
    mocks.processes[0].output(flv(key(0, 1)));
    mocks.processes[0].exit(1);
    expect(mocks.onRestart).toHaveBeenCalledWith('the encoder exited (code 1)');
    await jest.advanceTimersByTimeAsync(ENCODER_RESTART_BACKOFF.initialMs);
    expect(mocks.processes).toHaveLength(2);
  });

  it('kills an encoder whose output is not FLV', () => {
    const { mocks } = setup();
    mocks.start();
    mocks.processes[0].output(Buffer.from('this is not an FLV stream at all'));
    expect(mocks.processes[0].calls.kill).toHaveBeenCalled();
    mocks.processes[0].exit(null, 'SIGKILL');
    expect(mocks.onRestart).toHaveBeenCalledWith(expect.stringMatching(/^unreadable encoder output: not an FLV stream/));
  });

  it('stop() ends the input and waits for the encoder to finish, without a restart', async () => {
    const { sut, mocks } = setup();
    mocks.start();
    const [encoder] = mocks.processes;
    const stopped = sut.stop();
    expect(encoder.calls.endInput).toHaveBeenCalledTimes(1);
    encoder.exit(0);
    await stopped;
    expect(encoder.calls.stop).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(mocks.processes).toHaveLength(1);
    expect(mocks.onRestart).not.toHaveBeenCalled();
  });

  it('stop() stops an encoder that does not finish within the grace period', async () => {
    const { sut, mocks } = setup();
    mocks.start();
    const [encoder] = mocks.processes;
    const stopped = sut.stop();
    await jest.advanceTimersByTimeAsync(3000);
    await stopped;
    expect(encoder.calls.stop).toHaveBeenCalledWith(1000);
  });

  it('stop() cancels a pending restart', async () => {
    const { sut, mocks } = setup();
    mocks.start();
    mocks.processes[0].exit(1);
    await sut.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(mocks.processes).toHaveLength(1);
  });

  describe('switching between encode and copy', () => {
    it('lets the encode finish (its output still goes out), then starts the copy on what was written since', async () => {
      const { sut, mocks } = setup();
      mocks.start();
      const [encode] = mocks.processes;
      encode.output(flv(key(0, 1)));
      sut.switchMode('passthrough', false);
      expect(sut.mode).toBe('passthrough');
      expect(sut.copiesAudio).toBe(false);
      expect(encode.calls.endInput).toHaveBeenCalledTimes(1);
      sut.write({ kind: 'video', timestampMs: 2000, data: avcHeader() });
      sut.write(key(2000, 5));
      expect(mocks.processes).toHaveLength(1); // not before the encode has finished
      encode.output(Buffer.concat([serializeFlvTag(inter(1967, 2))]));
      encode.exit(0);
      await jest.advanceTimersByTimeAsync(0);
      expect(mocks.processes).toHaveLength(2);
      const [, copy] = mocks.processes;
      expect(copy.options.args.join(' ')).toContain('-c:v copy -af aresample=async=1 -c:a aac');
      expect(copy.options.args).not.toContain('libx264');
      expect(offsetArg(copy.options.args)).toBe('2.000');
      expect(copy.writes).toEqual([
        HEADER,
        serializeFlvTag({ kind: 'video', timestampMs: 2000, data: avcHeader() }),
        serializeFlvTag(key(2000, 5)),
      ]);
      expect(mocks.outputs).toEqual([key(0, 1), inter(1967, 2)]);
      expect(mocks.onRestart).not.toHaveBeenCalled();
      expect(mocks.input).not.toHaveBeenCalled();
    });

    it('goes back to the encode primed from the output clock (it may start mid-GOP)', async () => {
      const { sut, mocks } = setup();
      mocks.start();
      sut.switchMode('passthrough', false);
      mocks.processes[0].exit(0);
      await jest.advanceTimersByTimeAsync(0);
      sut.switchMode('encode', true);
      mocks.processes[1].exit(0);
      await jest.advanceTimersByTimeAsync(0);
      const encode = mocks.processes[2];
      expect(encode.options.args).toContain('libx264');
      expect(mocks.input).toHaveBeenCalledTimes(1);
      expect(encode.writes).toEqual([HEADER, serializeFlvTag(key(7000, 99))]);
    });

    it('replaces a copy that dies by the encode, and says so', async () => {
      const { sut, mocks } = setup();
      mocks.start();
      sut.switchMode('passthrough', false);
      mocks.processes[0].exit(0);
      await jest.advanceTimersByTimeAsync(0);
      mocks.processes[1].exit(1);
      expect(mocks.onModeChange).toHaveBeenCalledWith('encode', 'the encoder exited (code 1)');
      expect(sut.mode).toBe('encode');
      await jest.advanceTimersByTimeAsync(ENCODER_RESTART_BACKOFF.initialMs);
      expect(mocks.processes[2].options.args).toContain('libx264');
    });
  });
});
