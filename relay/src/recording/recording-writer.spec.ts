import { strictFake } from '../../../test/support/strict-fake';
import type { FlvTag } from '../flv/flv-tags';
import type { ManagedProcess, ProcessExit } from '../process/managed-process';
import { RecordingWriter } from './recording-writer';

const picture = (timestampMs: number, keyframe = false): FlvTag => ({
  kind: 'video',
  timestampMs,
  data: Buffer.from([keyframe ? 0x17 : 0x27, 1, 0, 0, 0, 0xaa]),
});
const videoConfig: FlvTag = { kind: 'video', timestampMs: 0, data: Buffer.from([0x17, 0, 0, 0, 0, 1]) };

function setup(exit: Partial<ProcessExit> = {}) {
  let resolveExit!: (exit: ProcessExit) => void;
  const exited = new Promise<ProcessExit>((resolve) => (resolveExit = resolve));
  const written: Buffer[] = [];
  let onExit: ((exit: ProcessExit) => void) | undefined;
  const process = strictFake<ManagedProcess>('process', {
    start: jest.fn(),
    write: jest.fn((data: Buffer) => written.push(data) > 0),
    stdinBacklog: 0,
    endInput: jest.fn(() => {
      const result = { code: 0, signal: null, requested: false, stderrTail: [], ...exit };
      resolveExit(result);
      onExit?.(result);
    }),
    waitForExit: () => exited,
  });
  let now = 1_000_000;
  const failed: RecordingWriter[] = [];
  const sut = new RecordingWriter({
    id: 'rec_a',
    streamId: 'ms_1',
    userId: 'u@x',
    dir: '/nonexistent',
    createProcess: (options) => {
      onExit = options.onExit;
      return process;
    },
    now: () => now,
    graceMs: 1000,
    onFailed: (writer) => failed.push(writer),
  });
  return { sut, mocks: { process, written, failed, advance: (ms: number) => (now += ms) } };
}

describe('RecordingWriter', () => {
  it('pipes an FLV header then every tag, and counts the duration from frames only', async () => {
    const { sut, mocks } = setup();
    sut.start([videoConfig, picture(2000, true)]);
    sut.push(picture(2033));
    sut.push(picture(12_000));
    expect(mocks.written[0].subarray(0, 3).toString()).toBe('FLV');
    expect(mocks.written).toHaveLength(5);
    expect(sut.report()).toMatchObject({ status: 'recording', durationSeconds: 10, endedAt: null, file: 'ms_1-rec_a.mp4' });

    mocks.advance(10_000);
    await sut.stop();
    expect(mocks.process.endInput).toHaveBeenCalledTimes(1);
    expect(sut.report()).toMatchObject({ status: 'ready', endedAt: new Date(1_010_000).toISOString() });
    sut.push(picture(13_000));
    expect(mocks.written).toHaveLength(5);
  });

  it('fails when FFmpeg does not finish the file cleanly', async () => {
    const { sut } = setup({ code: 1 });
    sut.start([]);
    await sut.stop();
    expect(sut.report()).toMatchObject({ status: 'failed', error: expect.stringMatching(/did not finish/) });
  });
});
