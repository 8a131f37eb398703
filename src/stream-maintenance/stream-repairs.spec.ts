import { planDestinationRepair, planStreamRepair, RepairLimits, StreamCandidate } from './stream-repairs';

const NOW = new Date('2026-11-21T10:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const limits: RepairLimits = {
  publishTimeoutSeconds: 300,
  reconnectTimeoutSeconds: 600,
  initializingTimeoutSeconds: 120,
  stopGraceSeconds: 30,
  destinationStartingTimeoutSeconds: 60,
};

function stream(overrides: Partial<StreamCandidate>): StreamCandidate {
  return {
    id: 'ms_1',
    status: 'active',
    createdAt: ago(1000),
    startedAt: ago(900),
    durationLimit: null,
    statusSince: ago(900),
    reconnectWindowSeconds: 0,
    ...overrides,
  };
}

describe('planStreamRepair', () => {
  it('stops streams past their duration limit, whatever live status they are in', () => {
    expect(planStreamRepair(stream({ durationLimit: 900 }), NOW, limits)).toEqual({
      streamId: 'ms_1',
      from: 'active',
      action: 'stop',
      reason: 'duration limit reached',
    });
    expect(planStreamRepair(stream({ durationLimit: 900, status: 'reconnecting' }), NOW, limits)?.action).toBe('stop');
    expect(planStreamRepair(stream({ durationLimit: 901 }), NOW, limits)).toBeNull();
    expect(planStreamRepair(stream({ durationLimit: 10, status: 'stopped' }), NOW, limits)).toBeNull();
    expect(
      planStreamRepair(stream({ durationLimit: 10, startedAt: null, status: 'connecting', createdAt: ago(20) }), NOW, limits),
    ).toBeNull();
  });

  it('stops connecting streams whose glasses never published within the timeout', () => {
    const never = stream({ status: 'connecting', startedAt: null, createdAt: ago(301) });
    expect(planStreamRepair(never, NOW, limits)).toMatchObject({
      action: 'stop',
      reason: 'the glasses did not publish within 300 s',
    });
    expect(planStreamRepair({ ...never, createdAt: ago(299) }, NOW, limits)).toBeNull();
    // Published once, now reconnecting through connecting: not a never-published stream.
    expect(planStreamRepair({ ...never, startedAt: ago(200) }, NOW, limits)).toBeNull();
  });

  it('stops streams whose glasses did not come back within the reconnect timeout', () => {
    expect(planStreamRepair(stream({ status: 'reconnecting', statusSince: ago(601) }), NOW, limits)).toMatchObject({
      action: 'stop',
      reason: 'the glasses did not come back within 600 s',
    });
    expect(planStreamRepair(stream({ status: 'reconnecting', statusSince: ago(599) }), NOW, limits)).toBeNull();
  });

  it('gives a stream on the slate its whole reconnect window (plus a margin) before ending it', () => {
    const tight = { ...limits, reconnectTimeoutSeconds: 60 };
    const onSlate = (window: number, since: number) =>
      planStreamRepair(stream({ status: 'reconnecting', reconnectWindowSeconds: window, statusSince: ago(since) }), NOW, tight);
    // 300 s window: the relay still holds the stream at 320 s; at 300 + 30 s margin the scan may end it.
    expect(onSlate(300, 320)).toBeNull();
    expect(onSlate(300, 331)).toMatchObject({ action: 'stop', reason: 'the glasses did not come back within 330 s' });
    // A window shorter than the configured timeout never shortens it.
    expect(onSlate(10, 59)).toBeNull();
    expect(onSlate(10, 61)).toMatchObject({ reason: 'the glasses did not come back within 60 s' });
    // No window: as before windows existed.
    expect(onSlate(0, 61)).toMatchObject({ reason: 'the glasses did not come back within 60 s' });
  });

  it('stops streams stuck initializing and finalises streams stuck stopping', () => {
    expect(planStreamRepair(stream({ status: 'initializing', startedAt: null, createdAt: ago(121) }), NOW, limits)).toMatchObject(
      {
        action: 'stop',
        reason: 'provisioning did not finish within 120 s',
      },
    );
    expect(planStreamRepair(stream({ status: 'initializing', startedAt: null, createdAt: ago(60) }), NOW, limits)).toBeNull();
    expect(planStreamRepair(stream({ status: 'stopping', statusSince: ago(31) }), NOW, limits)).toMatchObject({
      action: 'finalize',
      reason: 'the carrier did not confirm the stop in time',
    });
    expect(planStreamRepair(stream({ status: 'stopping', statusSince: ago(29) }), NOW, limits)).toBeNull();
  });
});

describe('planDestinationRepair', () => {
  const destination = {
    id: 'sd_1',
    streamId: 'ms_1',
    appId: 'app_1',
    streamStatus: 'reconnecting' as const,
    streamReconnectWindowSeconds: 0,
    status: 'starting' as const,
    updatedAt: ago(61),
  };

  it('returns destinations stuck starting to idle, or stopped when the stream ended', () => {
    expect(planDestinationRepair(destination, NOW, limits)).toMatchObject({
      to: 'idle',
      reason: 'still starting while the stream is not active (reconnecting)',
    });
    expect(planDestinationRepair({ ...destination, streamStatus: 'stopped' }, NOW, limits)).toMatchObject({ to: 'stopped' });
    expect(planDestinationRepair({ ...destination, status: 'broadcasting', streamStatus: 'stopped' }, NOW, limits)).toMatchObject(
      {
        from: 'broadcasting',
        to: 'stopped',
      },
    );
  });

  it('leaves recent changes, active streams and broadcasting on live streams alone', () => {
    expect(planDestinationRepair({ ...destination, updatedAt: ago(59) }, NOW, limits)).toBeNull();
    expect(planDestinationRepair({ ...destination, streamStatus: 'active' }, NOW, limits)).toBeNull();
    expect(planDestinationRepair({ ...destination, status: 'broadcasting' }, NOW, limits)).toBeNull();
  });

  it('leaves the destinations of a stream on the slate alone: the relay is feeding them', () => {
    expect(planDestinationRepair({ ...destination, streamReconnectWindowSeconds: 60 }, NOW, limits)).toBeNull();
  });
});
