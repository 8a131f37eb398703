import type { StreamRow } from '../../stream-records/managed-streams.repository';
import { adminStreamView, uptimeSeconds } from './admin-stream-view';

describe('uptimeSeconds', () => {
  const start = new Date('2026-01-01T10:00:00Z');
  it('counts from the start until the end, or until now', () => {
    expect(uptimeSeconds(null, null, new Date())).toBeNull();
    expect(uptimeSeconds(start, null, new Date('2026-01-01T10:01:30.900Z'))).toBe(90);
    expect(uptimeSeconds(start, new Date('2026-01-01T10:00:10Z'), new Date('2026-01-01T11:00:00Z'))).toBe(10);
    expect(uptimeSeconds(start, null, new Date('2026-01-01T09:59:00Z'))).toBe(0);
  });
});

describe('adminStreamView', () => {
  it('shows every app, every destination with its owner, and no publish key', () => {
    const row = {
      id: 'ms_1',
      userId: 'u@example.com',
      status: 'active',
      statusReason: 'publishing',
      strategy: 'relay',
      strategyReason: 'default',
      relayId: 'relay-1',
      cloudflareLiveInputId: null,
      ingestBaseUrl: 'rtmp://relay.test:1935/live/u',
      hlsUrl: 'http://relay.test:8888/hls/u/index.m3u8',
      dashUrl: null,
      createdAt: new Date('2026-01-01T09:59:00Z'),
      startedAt: new Date('2026-01-01T10:00:00Z'),
      endedAt: null,
      bitrateKbps: 2500,
      fps: 30,
      droppedFrames: 2,
      viewers: 1,
      statsUpdatedAt: new Date('2026-01-01T10:00:50Z'),
      outputMode: 'passthrough',
      outputModeReason: 'the input is clean: copied',
      reconnectWindowSeconds: 45,
      slateText: 'Back in a moment',
      slateImageUrl: null,
      attachments: [{ appId: 'app_a' }, { appId: 'app_b' }],
      destinations: [{ id: 'dst_1', appId: 'app_b' }],
    } as unknown as StreamRow;
    const view = adminStreamView(
      row,
      (d) => ({
        id: d.id,
        name: 'YouTube',
        url: 'rtmp://a.rtmp.youtube.com/live2',
        streamKeyMasked: '****abcd',
        enabled: true,
        status: 'broadcasting',
        lastError: null,
        attempts: 0,
        nextRetryAt: null,
        sent: { bitrateKbps: 2500, frames: 300 },
        savedDestinationId: null,
      }),
      new Date('2026-01-01T10:01:00Z'),
    );
    expect(view).toMatchObject({
      id: 'ms_1',
      appIds: ['app_a', 'app_b'],
      ingestBaseUrl: 'rtmp://relay.test:1935/live/u',
      uptimeSeconds: 60,
      bitrateKbps: 2500,
      statsUpdatedAt: '2026-01-01T10:00:50.000Z',
      outputMode: 'passthrough',
      outputModeReason: 'the input is clean: copied',
      reconnectWindowSeconds: 45,
      slate: { text: 'Back in a moment', imageUrl: null },
      destinations: [{ id: 'dst_1', appId: 'app_b', streamKeyMasked: '****abcd', status: 'broadcasting' }],
    });
  });
});
