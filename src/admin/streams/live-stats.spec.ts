import { changedLiveStats, LiveStatsRow } from './live-stats';

const row = (id: string, updatedAt: string | null, bitrateKbps = 2500): LiveStatsRow => ({
  id,
  startedAt: new Date('2026-01-01T10:00:00Z'),
  endedAt: null,
  bitrateKbps,
  fps: 30,
  droppedFrames: 0,
  viewers: 1,
  statsUpdatedAt: updatedAt ? new Date(updatedAt) : null,
});

describe('changedLiveStats', () => {
  const now = new Date('2026-01-01T10:00:42Z');

  it('reports every stream the first time, then only those with a newer report', () => {
    const first = changedLiveStats(new Map(), [row('a', '2026-01-01T10:00:40Z'), row('b', null)], now);
    expect(first.changed).toEqual([
      {
        id: 'a',
        uptimeSeconds: 42,
        bitrateKbps: 2500,
        fps: 30,
        droppedFrames: 0,
        viewers: 1,
        statsUpdatedAt: '2026-01-01T10:00:40.000Z',
      },
      expect.objectContaining({ id: 'b', statsUpdatedAt: null }),
    ]);
    const second = changedLiveStats(first.seen, [row('a', '2026-01-01T10:00:41Z', 3100), row('b', null)], now);
    expect(second.changed).toEqual([expect.objectContaining({ id: 'a', bitrateKbps: 3100 })]);
    const third = changedLiveStats(second.seen, [row('a', '2026-01-01T10:00:41Z', 3100)], now);
    expect(third.changed).toEqual([]);
    expect([...third.seen.keys()]).toEqual(['a']);
  });
});
