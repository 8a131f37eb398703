import type { RelayRecord } from '../../relays/relays.repository';
import { adminRelayView } from './admin-relays.service';

const relay = (lastHeartbeatAt: Date | null): RelayRecord => ({
  id: 'relay-1',
  rtmpUrl: 'rtmp://relay-1.example.net:1935',
  hlsBaseUrl: 'http://relay-1.example.net:8888',
  region: 'eu',
  capacity: 20,
  load: 3,
  state: 'draining',
  lastHeartbeatAt,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
});

describe('adminRelayView', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it('ages the last heartbeat in whole seconds', () => {
    expect(adminRelayView(relay(new Date('2026-01-01T11:59:14.500Z')), 2, now)).toEqual({
      id: 'relay-1',
      rtmpUrl: 'rtmp://relay-1.example.net:1935',
      hlsBaseUrl: 'http://relay-1.example.net:8888',
      region: 'eu',
      state: 'draining',
      capacity: 20,
      load: 3,
      liveStreams: 2,
      lastHeartbeatAt: '2026-01-01T11:59:14.500Z',
      heartbeatAgeSeconds: 45,
    });
  });

  it('has no age for a relay that never reported, and none below zero', () => {
    expect(adminRelayView(relay(null), 0, now)).toMatchObject({ lastHeartbeatAt: null, heartbeatAgeSeconds: null });
    expect(adminRelayView(relay(new Date('2026-01-01T12:00:05Z')), 0, now).heartbeatAgeSeconds).toBe(0);
  });
});
