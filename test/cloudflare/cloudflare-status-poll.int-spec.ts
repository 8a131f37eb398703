import { ManagedStreamsRepository } from '../../src/stream-records/managed-streams.repository';
import { sdk } from '../support/api-client';
import { waitFor } from '../support/relay-harness';
import { startCloudflareTestEnv, type CloudflareTestEnv } from './cloudflare-test-env';

// Polling alone (no webhooks), with each shape Cloudflare has been seen to give `status` in.
describe.each(['string', 'object', 'json-string'] as const)('status polling with %s statuses', (shape) => {
  let env: CloudflareTestEnv;
  let app: ReturnType<typeof sdk>;

  beforeAll(async () => {
    env = await startCloudflareTestEnv({}, { statusShape: shape }, { webhooks: false });
    app = sdk(env.t.app, (await env.t.createTenant(`Polling ${shape}`)).apiKey);
  });
  afterAll(() => env.close());

  it('follows the glasses connecting, going live and dropping, from polls alone', async () => {
    const stream = (await app.startStream({ userId: `poll-${shape}@example.com` })).body;
    const inputId = env.cf.control.liveInputs().find((i) => (i.meta as { streamId?: string }).streamId === stream.streamId)!.uid;
    const status = async () => (await app.get(`/api/managed-streams/${stream.streamId}`)).body;

    env.cf.control.setState(inputId, { state: 'connected' });
    const streams = env.t.app.get(ManagedStreamsRepository);
    await waitFor(
      'connected (a per-input get)',
      async () => ((await streams.findById(stream.streamId))?.cloudflareState === 'connected' ? true : null),
      20_000,
    );
    // Connected without video is not live: the stream keeps waiting for its video.
    expect((await status()).status).toBe('connecting');

    env.cf.control.makeLiveVideoAppear(inputId);
    const live = await waitFor('playback URLs', async () => ((await status()).dashUrl ? await status() : null), 20_000);
    expect(live.hlsUrl).toMatch(/\/manifest\/video\.m3u8$/);
    expect(live.status).toBe('active');

    env.cf.control.setState(inputId, { state: 'disconnected' });
    await waitFor(
      'the drop (the listing no longer shows the video)',
      async () => ((await status()).status === 'reconnecting' ? true : null),
      20_000,
    );
  }, 70_000);
});
