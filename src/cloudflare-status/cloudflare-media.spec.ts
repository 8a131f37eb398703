import {
  cloudflareDestinationStatus,
  mediaFlowing,
  NO_VIDEO_ERROR,
  noVideoRejection,
  type NoVideoFacts,
} from './cloudflare-media';

const T0 = new Date('2026-12-02T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const LIMIT_MS = 45_000;

const connected = (overrides: Partial<NoVideoFacts> = {}): NoVideoFacts => ({
  strategy: 'cloudflare',
  status: 'connecting',
  cloudflareState: 'connected',
  cloudflareConnectedAt: T0,
  cloudflareVideoAt: null,
  ...overrides,
});

describe('mediaFlowing', () => {
  it('needs both a connection and its live video', () => {
    expect(mediaFlowing({ cloudflareState: 'connected', cloudflareVideoAt: T0 })).toBe(true);
    expect(mediaFlowing({ cloudflareState: 'connected', cloudflareVideoAt: null })).toBe(false);
    expect(mediaFlowing({ cloudflareState: 'client_disconnect', cloudflareVideoAt: T0 })).toBe(false);
  });
});

describe('cloudflareDestinationStatus', () => {
  const destination = (
    status: 'idle' | 'broadcasting' | 'stopped' | 'failed',
    enabled = true,
    outputId: string | null = 'out',
  ) => ({
    status,
    enabled,
    cloudflareOutputId: outputId,
  });

  it('broadcasts an enabled output while media flows, and is idle otherwise', () => {
    expect(cloudflareDestinationStatus(true, destination('idle'))).toBe('broadcasting');
    expect(cloudflareDestinationStatus(false, destination('broadcasting'))).toBe('idle');
    expect(cloudflareDestinationStatus(true, destination('broadcasting', true, null))).toBe('idle');
    expect(cloudflareDestinationStatus(true, destination('broadcasting'))).toBeNull();
  });

  it('keeps a disabled destination stopped, whatever flows', () => {
    expect(cloudflareDestinationStatus(true, destination('idle', false))).toBe('stopped');
    expect(cloudflareDestinationStatus(true, destination('stopped', false))).toBeNull();
  });

  it('leaves a destination Cloudflare refused with its error', () => {
    expect(cloudflareDestinationStatus(true, destination('failed'))).toBeNull();
  });
});

describe('noVideoRejection', () => {
  it('rejects a connection older than the limit that never showed video', () => {
    expect(noVideoRejection(connected(), at(46), LIMIT_MS)).toEqual({
      errorCode: NO_VIDEO_ERROR,
      message: 'connected for 46 s without live video',
    });
  });

  it('measures from the current connection, not an earlier one', () => {
    expect(noVideoRejection(connected({ cloudflareConnectedAt: at(40) }), at(46), LIMIT_MS)).toBeNull();
  });

  it('never calls a disconnect, a playing stream or a stream off Cloudflare a rejection', () => {
    expect(
      noVideoRejection(connected({ cloudflareState: 'client_disconnect', cloudflareConnectedAt: null }), at(100), LIMIT_MS),
    ).toBeNull();
    expect(
      noVideoRejection(connected({ cloudflareState: 'live_video_ended', cloudflareConnectedAt: null }), at(100), LIMIT_MS),
    ).toBeNull();
    expect(noVideoRejection(connected({ cloudflareVideoAt: at(5), status: 'active' }), at(100), LIMIT_MS)).toBeNull();
    expect(noVideoRejection(connected({ strategy: 'hybrid' }), at(100), LIMIT_MS)).toBeNull();
    expect(noVideoRejection(connected({ status: 'stopping' }), at(100), LIMIT_MS)).toBeNull();
  });
});
