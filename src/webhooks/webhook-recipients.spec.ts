import { advanceCursor, webhookRecipients } from './webhook-recipients';

const T = (seconds: number) => new Date(Date.UTC(2026, 10, 21, 10, 0, seconds));

describe('webhookRecipients', () => {
  const attachments = [
    { appId: 'app_a', attachedAt: T(0), detachedAt: null },
    { appId: 'app_b', attachedAt: T(0), detachedAt: T(30) },
    { appId: 'app_late', attachedAt: T(45), detachedAt: null },
  ];

  it('sends stream events to the apps attached when they happened', () => {
    expect(
      webhookRecipients({ type: 'stream.status', status: 'active', appId: null, createdAt: T(10).toISOString() }, attachments),
    ).toEqual(['app_a', 'app_b']);
    expect(
      webhookRecipients(
        { type: 'stream.playback', status: 'hls_ready', appId: null, createdAt: T(40).toISOString() },
        attachments,
      ),
    ).toEqual(['app_a']);
    // An app that joins later does not receive what happened before it joined.
    expect(
      webhookRecipients({ type: 'stream.status', status: 'active', appId: null, createdAt: T(50).toISOString() }, attachments),
    ).toEqual(['app_a', 'app_late']);
  });

  it('sends destination events to the destination owner only, and bookkeeping events to nobody', () => {
    expect(
      webhookRecipients(
        { type: 'destination.status', status: 'broadcasting', appId: 'app_b', createdAt: T(1).toISOString() },
        attachments,
      ),
    ).toEqual(['app_b']);
    expect(
      webhookRecipients({ type: 'stream.app_attached', status: null, appId: null, createdAt: T(1).toISOString() }, attachments),
    ).toEqual([]);
    expect(
      webhookRecipients(
        { type: 'destination.added', status: 'idle', appId: 'app_a', createdAt: T(1).toISOString() },
        attachments,
      ),
    ).toEqual([]);
  });

  it('tells the last app to leave that the stream it left has stopped, but not earlier leavers', () => {
    const allLeft = [
      { appId: 'app_a', attachedAt: T(0), detachedAt: T(50) },
      { appId: 'app_b', attachedAt: T(0), detachedAt: T(30) },
    ];
    expect(
      webhookRecipients({ type: 'stream.status', status: 'stopped', appId: null, createdAt: T(51).toISOString() }, allLeft),
    ).toEqual(['app_a']);
    expect(
      webhookRecipients({ type: 'stream.status', status: 'reconnecting', appId: null, createdAt: T(51).toISOString() }, allLeft),
    ).toEqual([]);
  });
});

describe('advanceCursor', () => {
  const now = T(59);
  const event = (id: number, seconds: number) => ({ id: BigInt(id), createdAt: T(seconds) });

  it('moves over contiguous ids', () => {
    expect(advanceCursor(10n, [event(11, 58), event(12, 58), event(13, 59)], now, 30_000)).toBe(13n);
    expect(advanceCursor(10n, [], now, 30_000)).toBe(10n);
  });

  it('stops before a young gap (a lower id may still commit) and skips an old one (rolled back)', () => {
    expect(advanceCursor(10n, [event(11, 58), event(13, 58), event(14, 59)], now, 30_000)).toBe(11n);
    expect(advanceCursor(10n, [event(11, 1), event(13, 2), event(14, 59)], now, 30_000)).toBe(14n);
  });
});
