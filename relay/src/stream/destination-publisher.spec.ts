import { strictFake } from '../../../test/support/strict-fake';
import type { FlvTag } from '../flv/flv-tags';
import { aacFrame, aacHeader, avcFrame, avcHeader } from '../flv/flv-tags.fixtures';
import { backoffDelay, DESTINATION_BACKOFF, SESSION_HELD_BACKOFF } from '../process/backoff';
import { RtmpError } from '../rtmp/rtmp-connection';
import type { RtmpPublishSession } from '../rtmp/rtmp-publisher';
import { DestinationPublisher, MAX_BACKLOG_BYTES, STALL_MS, type DestinationPublisherDeps } from './destination-publisher';

const KEY = 'abcd-efgh-ijkl-mnop';
const URL = `rtmp://a.rtmp.example.com/live2/${KEY}`;
const RANDOM = 0.25;
const retryDelay = (attempt: number): number => backoffDelay(attempt, DESTINATION_BACKOFF, () => RANDOM);

const meta = (ts: number): FlvTag => ({ kind: 'script', timestampMs: ts, data: Buffer.from([2, 0, 1, 0x6d]) });
const videoConfig = (ts: number): FlvTag => ({ kind: 'video', timestampMs: ts, data: avcHeader() });
const audioConfig = (ts: number): FlvTag => ({ kind: 'audio', timestampMs: ts, data: aacHeader() });
const key = (ts: number, marker = 0): FlvTag => ({ kind: 'video', timestampMs: ts, data: avcFrame(true, marker) });
const inter = (ts: number, marker = 0): FlvTag => ({ kind: 'video', timestampMs: ts, data: avcFrame(false, marker) });
const sound = (ts: number, marker = 0): FlvTag => ({ kind: 'audio', timestampMs: ts, data: aacFrame(marker) });

/** A session the test drives: what was sent, the backlog, and the close callback the publisher gave. */
function fakeSession(onClose: (error: Error) => void) {
  const sent: string[] = [];
  const state = { backlogBytes: 0, closed: false };
  const finish = jest.fn(async () => undefined);
  const destroy = jest.fn<void, [Error]>();
  const session = strictFake<RtmpPublishSession>('RtmpPublishSession', {
    send: (kind, timestamp, payload) => {
      sent.push(`${labelOf(kind, payload)}@${timestamp}`);
      return true;
    },
    get backlogBytes() {
      return state.backlogBytes;
    },
    get closed() {
      return state.closed;
    },
    finish,
    destroy,
  });
  return { session, sent, state, finish, destroy, close: (error: Error) => onClose(error) };
}

function labelOf(kind: FlvTag['kind'], payload: Buffer): string {
  if (kind === 'script') return 'meta';
  if (kind === 'audio') return payload[1] === 0 ? 'asc' : `a${payload[2]}`;
  if (payload[1] === 0) return 'sps';
  return `${payload[0] === 0x17 ? 'K' : 'P'}${payload[5]}`;
}

type FakeSession = ReturnType<typeof fakeSession>;

function setup(options: { startTags?: FlvTag[]; maxRefusals?: number } = {}) {
  const sessions: FakeSession[] = [];
  /** What the next connects do, in order; a connect with nothing queued succeeds. */
  const outcomes: (Error | 'ok')[] = [];
  const states: string[] = [];
  const connect = jest.fn(async (_url: string, onClose: (error: Error) => void) => {
    const outcome = outcomes.shift() ?? 'ok';
    if (outcome instanceof Error) throw outcome;
    const fake = fakeSession(onClose);
    sessions.push(fake);
    return fake.session;
  });
  const onReconnect = jest.fn();
  const deps = strictFake<DestinationPublisherDeps>('DestinationPublisherDeps', {
    connect,
    startTags: () => options.startTags ?? [meta(5000), videoConfig(5000), audioConfig(5000)],
    onChange: (publisher) => void states.push(publisher.status.status),
    onReconnect,
    now: () => Date.now(),
    random: () => RANDOM,
    maxRefusals: options.maxRefusals ?? 5,
  });
  const sut = new DestinationPublisher({ id: 'd1', name: 'YouTube', url: URL }, deps);
  return { sut, mocks: { sessions, outcomes, states, connect, onReconnect } };
}

const refusedKey = (): RtmpError =>
  new RtmpError('publish refused', {
    stage: 'publish',
    status: 'NetStream.Publish.BadName',
    description: `no stream named ${KEY}`,
  });
const closedPort = (): RtmpError => new RtmpError('connect ECONNREFUSED', { stage: 'socket', errno: 'ECONNREFUSED' });

/** The states reported, without the repeats (a report with the same state is not a change). */
const changesOf = (states: string[]): string[] => states.filter((state, i) => state !== states[i - 1]);

/** Lets the pending connect promise settle (fake timers do not run microtasks by themselves). */
const settle = (ms = 0): Promise<void> => jest.advanceTimersByTimeAsync(ms);

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => jest.useRealTimers());

describe('DestinationPublisher: a session', () => {
  it('starts in starting, sends the start tags, waits for a keyframe, and broadcasts from it', async () => {
    const { sut, mocks } = setup();
    sut.start();
    expect(sut.status).toEqual({ id: 'd1', status: 'starting', attempts: 1, nextRetryAt: null, lastError: null });
    await settle();
    expect(mocks.connect).toHaveBeenCalledWith(URL, expect.any(Function));
    const [session] = mocks.sessions;
    expect(session.sent).toEqual(['meta@0', 'sps@0', 'asc@0']);

    sut.push(sound(5010, 1));
    sut.push(inter(5033, 2));
    expect(sut.status.status).toBe('starting');
    sut.push(key(5066, 3));
    sut.push(sound(5070, 4));
    sut.push(inter(5100, 5));
    expect(session.sent.slice(3)).toEqual(['K3@0', 'a4@4', 'P5@34']);
    expect(sut.status).toMatchObject({ id: 'd1', status: 'broadcasting', attempts: 0, sentFrames: 2 });
    expect(mocks.states).toEqual(['starting', 'broadcasting']);
  });

  it('is broadcasting at once when the start tags hold a GOP', async () => {
    const { sut, mocks } = setup({ startTags: [meta(9000), videoConfig(9000), audioConfig(9000), key(9000, 1), inter(9033, 2)] });
    sut.start();
    await settle();
    expect(mocks.sessions[0].sent).toEqual(['meta@0', 'sps@0', 'asc@0', 'K1@0', 'P2@33']);
    expect(sut.status.status).toBe('broadcasting');
  });

  // FFmpeg writes onMetaData and the sequence headers at 0 even with -output_ts_offset; they stay cached.
  it('starts a session that joins late at 0 even though the cached metadata and configurations are old', async () => {
    const { sut, mocks } = setup({ startTags: [meta(0), videoConfig(0), audioConfig(0), key(60_000, 1), inter(60_033, 2)] });
    sut.start();
    await settle();
    expect(mocks.sessions[0].sent).toEqual(['meta@0', 'sps@0', 'asc@0', 'K1@0', 'P2@33']);
  });

  it('keeps each kind monotonic in a session and restarts at 0 in the next one', async () => {
    const { sut, mocks } = setup();
    sut.start();
    await settle();
    sut.push(key(5100, 1));
    sut.push(inter(5090, 2)); // backwards: held at the last
    sut.push(sound(4000, 3)); // before the base: 0
    expect(mocks.sessions[0].sent.slice(3)).toEqual(['K1@0', 'P2@0', 'a3@0']);

    mocks.sessions[0].close(new Error('connection reset'));
    await settle(retryDelay(1));
    sut.push(key(90_000, 4));
    expect(mocks.sessions[1].sent).toEqual(['meta@0', 'sps@0', 'asc@0', 'K4@0']);
  });

  it('ignores pushes while it has no open session', async () => {
    const { sut, mocks } = setup();
    sut.push(key(1, 1)); // not started
    sut.start();
    sut.push(key(2, 2)); // connecting
    await settle();
    mocks.sessions[0].state.closed = true;
    sut.push(key(3, 3)); // closed, its onClose not yet called
    expect(mocks.sessions[0].sent).toEqual(['meta@0', 'sps@0', 'asc@0']);
  });
});

describe('DestinationPublisher: failures and retries', () => {
  it('reports a refused key as key_rejected, without the stream key, and retries after the backoff', async () => {
    const { sut, mocks } = setup();
    mocks.outcomes.push(refusedKey());
    sut.start();
    await settle();
    expect(sut.status).toEqual({
      id: 'd1',
      status: 'retrying',
      attempts: 1,
      nextRetryAt: new Date(Date.now() + retryDelay(1)).toISOString(),
      lastError: {
        code: 'key_rejected',
        message:
          'a.rtmp.example.com refused the stream key (NetStream.Publish.BadName no stream named ****): check the stream key, and that the live event is set up on the platform',
        at: new Date(Date.now()).toISOString(),
      },
    });
    expect(JSON.stringify(sut.status)).not.toContain(KEY);
    expect(mocks.onReconnect).toHaveBeenCalledWith(sut, 'key_rejected');

    await settle(retryDelay(1) - 1);
    expect(mocks.connect).toHaveBeenCalledTimes(1);
    await settle(1);
    expect(mocks.connect).toHaveBeenCalledTimes(2);
    sut.push(key(6000, 1));
    expect(sut.status).toMatchObject({ status: 'broadcasting', attempts: 0, nextRetryAt: null });
    expect(changesOf(mocks.states)).toEqual(['starting', 'retrying', 'broadcasting']);
  });

  it('backs off further on each failure in a row, and starts over once broadcasting', async () => {
    const { sut, mocks } = setup();
    mocks.outcomes.push(closedPort(), closedPort(), closedPort());
    sut.start();
    await settle();
    await settle(retryDelay(1));
    await settle(retryDelay(2) - 1);
    expect(mocks.connect).toHaveBeenCalledTimes(2);
    await settle(1);
    await settle(retryDelay(3));
    expect(mocks.connect).toHaveBeenCalledTimes(4);
    sut.push(key(6000, 1));
    expect(sut.status.status).toBe('broadcasting');

    mocks.sessions[0].close(new RtmpError('reset', { stage: 'streaming', errno: 'ECONNRESET' }));
    expect(sut.status).toMatchObject({ id: 'd1', status: 'retrying', lastError: { code: 'disconnected' } });
    await settle(retryDelay(1));
    expect(mocks.connect).toHaveBeenCalledTimes(5); // the first delay again
  });

  it('stays retrying through attempts that fail the same way: one change, however many attempts', async () => {
    const { sut, mocks } = setup();
    for (let i = 0; i < 30; i++) mocks.outcomes.push(closedPort());
    sut.start();
    await settle();
    for (let i = 0; i < 30; i++) await settle(DESTINATION_BACKOFF.maxMs);
    expect(mocks.connect).toHaveBeenCalledTimes(31);
    expect(changesOf(mocks.states)).toEqual(['starting', 'retrying']);
    expect(sut.status).toMatchObject({ status: 'retrying', attempts: 31, lastError: { code: 'connection_refused' } });
    expect(mocks.onReconnect).toHaveBeenCalledTimes(30);
  });

  it('fails after the key is refused maxRefusals times in a row, and tries no more', async () => {
    const { sut, mocks } = setup({ maxRefusals: 3 });
    mocks.outcomes.push(refusedKey(), closedPort(), refusedKey(), refusedKey(), refusedKey());
    sut.start();
    for (let i = 0; i < 5; i++) await settle(DESTINATION_BACKOFF.maxMs);
    expect(mocks.connect).toHaveBeenCalledTimes(5); // the closed port broke the first run of refusals
    expect(sut.status).toMatchObject({ status: 'failed', attempts: 5, nextRetryAt: null, lastError: { code: 'key_rejected' } });
    await settle(600_000);
    expect(mocks.connect).toHaveBeenCalledTimes(5);
  });

  it('counts a publish accepted then closed before any media as a refusal', async () => {
    const { sut, mocks } = setup({ maxRefusals: 2, startTags: [] });
    sut.start();
    await settle();
    mocks.sessions[0].close(new RtmpError('closed', { stage: 'streaming' }));
    await settle(DESTINATION_BACKOFF.maxMs);
    mocks.sessions[1].close(new RtmpError('closed', { stage: 'streaming' }));
    expect(sut.status).toMatchObject({ status: 'failed', lastError: { code: 'key_rejected' } });
  });

  it('retries now on request: a failed destination connects at once with its counts reset', async () => {
    const { sut, mocks } = setup({ maxRefusals: 1 });
    mocks.outcomes.push(refusedKey());
    sut.start();
    await settle();
    expect(sut.status.status).toBe('failed');
    sut.retryNow(1);
    expect(sut.status).toMatchObject({ status: 'starting', attempts: 1, nextRetryAt: null, lastError: { code: 'key_rejected' } });
    await settle();
    expect(mocks.connect).toHaveBeenCalledTimes(2);
    sut.push(key(6000, 1));
    expect(sut.status.status).toBe('broadcasting');
    expect(sut.target.retry).toBe(1);
  });

  it('retries now while waiting out a backoff, without a second connection when one is under way', async () => {
    const { sut, mocks } = setup();
    mocks.outcomes.push(closedPort());
    sut.start();
    await settle();
    sut.retryNow(1);
    sut.retryNow(2); // starting already: nothing more
    await settle();
    expect(mocks.connect).toHaveBeenCalledTimes(2);
    await settle(DESTINATION_BACKOFF.maxMs);
    expect(mocks.connect).toHaveBeenCalledTimes(2);
  });

  it('asks a platform still holding the old session again slowly, and keeps trying', async () => {
    const { sut, mocks } = setup();
    const held = () =>
      new RtmpError('publish refused', {
        stage: 'publish',
        status: 'NetStream.Publish.BadName',
        description: 'Already publishing',
      });
    mocks.outcomes.push(held(), held(), held(), held(), held(), held());
    sut.start();
    await settle();
    expect(sut.status).toMatchObject({ status: 'retrying', lastError: { code: 'already_publishing' } });
    const slow = backoffDelay(1, SESSION_HELD_BACKOFF, () => RANDOM);
    await settle(slow - 1);
    expect(mocks.connect).toHaveBeenCalledTimes(1);
    await settle(1);
    expect(mocks.connect).toHaveBeenCalledTimes(2);
    for (let i = 0; i < 5; i++) await settle(SESSION_HELD_BACKOFF.maxMs);
    sut.push(key(6000, 1));
    expect(sut.status.status).toBe('broadcasting');
    expect(mocks.connect).toHaveBeenCalledTimes(7);
  });

  it('reports the sent bitrate and frames while broadcasting', async () => {
    const { sut, mocks } = setup();
    sut.start();
    await settle();
    for (let i = 0; i < 60; i++) {
      sut.push(i % 30 === 0 ? key(5000 + i * 33, i) : inter(5000 + i * 33, i));
      if (i % 15 === 14) await settle(500);
    }
    expect(mocks.sessions[0].sent.length).toBeGreaterThan(60);
    const status = sut.status;
    expect(status.sentFrames).toBe(60);
    expect(status.sentBitrateKbps).toBeGreaterThan(0);
  });

  it('destroys a session whose backlog does not shrink for 4 s, reports it stalled, and retries', async () => {
    const { sut, mocks } = setup();
    sut.start();
    await settle();
    sut.push(key(6000, 1));
    const [session] = mocks.sessions;
    session.state.backlogBytes = 200_000;
    await settle(STALL_MS);
    expect(session.destroy).not.toHaveBeenCalled();
    await settle(500);
    expect(session.destroy).toHaveBeenCalledWith(new Error('stalled'));
    expect(sut.status).toMatchObject({ id: 'd1', status: 'retrying', lastError: { code: 'stalled' } });
    expect(mocks.onReconnect).toHaveBeenCalledWith(sut, 'stalled');
    await settle(retryDelay(1));
    expect(mocks.connect).toHaveBeenCalledTimes(2);
  });

  it('does not call a slow but draining destination stalled', async () => {
    const { sut, mocks } = setup();
    sut.start();
    await settle();
    const [session] = mocks.sessions;
    for (let i = 0; i < 20; i++) {
      session.state.backlogBytes = 1_000_000 - i * 10_000;
      await settle(500);
    }
    expect(session.destroy).not.toHaveBeenCalled();
    expect(sut.status.status).toBe('starting');
  });

  it('ignores the close of a session it already replaced', async () => {
    const { sut, mocks } = setup();
    sut.start();
    await settle();
    mocks.sessions[0].state.backlogBytes = 1;
    await settle(STALL_MS + 500); // stalled: destroyed and replaced
    await settle(retryDelay(1));
    mocks.sessions[0].close(new Error('late close of the stalled one'));
    expect(sut.status.status).toBe('retrying');
    expect(mocks.connect).toHaveBeenCalledTimes(2);
  });
});

describe('DestinationPublisher: backlog', () => {
  it('drops pictures and sound past MAX_BACKLOG_BYTES until the next keyframe it can send', async () => {
    const { sut, mocks } = setup();
    sut.start();
    await settle();
    const [session] = mocks.sessions;
    sut.push(key(5000, 1));
    session.state.backlogBytes = MAX_BACKLOG_BYTES + 1;
    sut.push(inter(5033, 2));
    sut.push(sound(5040, 3));
    sut.push(key(5066, 4)); // still too far behind
    sut.push(videoConfig(5066)); // configurations always go
    session.state.backlogBytes = 1000;
    sut.push(inter(5100, 5)); // cannot be decoded without what was dropped
    sut.push(sound(5110, 6));
    sut.push(key(5133, 7));
    sut.push(sound(5140, 8));
    expect(session.sent.slice(3)).toEqual(['K1@0', 'sps@66', 'K7@133', 'a8@140']);
    expect(sut.status.status).toBe('broadcasting');
  });
});

describe('DestinationPublisher.stop', () => {
  it('ends the session gracefully, is stopped, and never reconnects', async () => {
    const { sut, mocks } = setup();
    sut.start();
    await settle();
    sut.push(key(6000, 1));
    const [session] = mocks.sessions;
    await sut.stop();
    expect(session.finish).toHaveBeenCalledTimes(1);
    expect(session.destroy).not.toHaveBeenCalled();
    expect(sut.status).toMatchObject({ id: 'd1', status: 'stopped', nextRetryAt: null });
    session.close(new Error('closed after finish'));
    session.state.backlogBytes = 5000;
    await settle(60_000);
    expect(mocks.connect).toHaveBeenCalledTimes(1);
    expect(mocks.onReconnect).not.toHaveBeenCalled();
    expect(sut.status.status).toBe('stopped');
  });

  it('cuts the connection when not graceful', async () => {
    const { sut, mocks } = setup();
    sut.start();
    await settle();
    await sut.stop(false);
    expect(mocks.sessions[0].destroy).toHaveBeenCalledWith(new Error('stopped'));
    expect(mocks.sessions[0].finish).not.toHaveBeenCalled();
  });

  it('cancels a pending retry', async () => {
    const { sut, mocks } = setup();
    mocks.outcomes.push(new Error('refused'));
    sut.start();
    await settle();
    await sut.stop();
    await settle(60_000);
    expect(mocks.connect).toHaveBeenCalledTimes(1);
    expect(sut.status.status).toBe('stopped');
  });

  it('destroys a session that connects after the stop', async () => {
    const { sut, mocks } = setup();
    sut.start();
    await sut.stop();
    await settle();
    expect(mocks.sessions[0].destroy).toHaveBeenCalledWith(new Error('stopped'));
    expect(sut.status.status).toBe('stopped');
  });
});
