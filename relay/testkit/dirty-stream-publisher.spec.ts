import { planDirtyStream } from './dirty-stream-plan';
import { publishDirtyStream, type FlvSink } from './dirty-stream-publisher';
import type { DirtyStream, StreamSession, TimedTag } from './dirty-stream-timeline';
import { dropsOf } from './glasses-publisher';

/** A stream on a millisecond scale (sessions 0-20, 40-60, 80-100 ms) so the real pacing runs in ~0.1 s. */
function tinyStream(): DirtyStream {
  const tag = (wallMs: number): TimedTag => ({ kind: 'video', wallMs, timestampMs: wallMs, data: Buffer.from([0x27, 1]) });
  const session = (index: number, startWallMs: number, end: StreamSession['end']): StreamSession => ({
    index,
    startWallMs,
    endWallMs: startWallMs + 20,
    end,
    clockAtStartMs: 0,
    tags: [tag(startWallMs), tag(startWallMs + 10)],
  });
  const sessions = [session(0, 0, 'clean'), session(1, 40, 'abrupt'), session(2, 80, 'final')];
  return {
    plan: planDirtyStream(1, 10),
    hasAudio: false,
    tags: sessions.flatMap((s) => s.tags),
    sessions,
    loopSpan: { wallMs: 100, timestampMs: 100 },
  };
}

function recordingSinks(): { calls: string[]; openSink: (s: StreamSession) => Promise<FlvSink> } {
  const calls: string[] = [];
  return {
    calls,
    openSink: (session) => {
      calls.push(`open ${session.index}`);
      return Promise.resolve({
        writeTag: (t) => Promise.resolve(void calls.push(`write ${session.index}@${t.timestampMs}`)),
        close: () => Promise.resolve(void calls.push(`close ${session.index}`)),
        abandon: () => void calls.push(`abandon ${session.index}`),
      });
    },
  };
}

describe('publishDirtyStream with drops', () => {
  it('opens one connection per session, closing or abandoning it at each drop', async () => {
    const { calls, openSink } = recordingSinks();
    const report = await publishDirtyStream(tinyStream(), 'rtmp://h/a/k', { openSink });
    expect(calls).toEqual([
      'open 0',
      'write 0@0',
      'write 0@10',
      'close 0',
      'open 1',
      'write 1@40',
      'write 1@50',
      'abandon 1',
      'open 2',
      'write 2@80',
      'write 2@90',
      'close 2',
    ]);
    expect(report.events.map((e) => `${e.type} ${e.session}${e.abrupt ? ' abrupt' : ''}`)).toEqual([
      'connected 0',
      'dropped 0',
      'connected 1',
      'dropped 1 abrupt',
      'connected 2',
    ]);
    expect(report.tagsSent).toBe(6);
  });

  it('keeps the planned wall times: the drop at its end, the return at the next start', async () => {
    const { openSink } = recordingSinks();
    const report = await publishDirtyStream(tinyStream(), 'rtmp://h/a/k', { openSink });
    const at = (type: string, session: number): number =>
      report.events.find((e) => e.type === type && e.session === session)?.elapsedMs ?? NaN;
    // The publisher does not sleep for a wait of 1 ms or less, and timers may fire a little early.
    expect(at('dropped', 0)).toBeGreaterThanOrEqual(18);
    expect(at('connected', 1)).toBeGreaterThanOrEqual(38);
    expect(at('dropped', 1)).toBeGreaterThanOrEqual(58);
    expect(at('connected', 2)).toBeGreaterThanOrEqual(78);
    const drops = dropsOf(report.events);
    expect(drops.map((d) => d.abrupt)).toEqual([false, true]);
    // The return keeps its planned wall time: after a late drop (a busy machine) it may follow at once.
    for (const d of drops) expect((d.returnedAt ?? NaN) - d.droppedAt).toBeGreaterThanOrEqual(0);
  });

  it('refuses to loop a stream with drops', async () => {
    const { openSink } = recordingSinks();
    await expect(publishDirtyStream(tinyStream(), 'rtmp://h/a/k', { openSink, loop: true })).rejects.toThrow(/cannot be looped/);
  });
});
