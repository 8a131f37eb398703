import { createApp } from '../../src/app.factory';
import { sdk } from '../support/api-client';
import { waitFor } from '../support/relay-harness';
import { startCloudflareTestEnv, youtube, type CloudflareTestEnv } from './cloudflare-test-env';

describe('Cloudflare jobs across a worker restart', () => {
  let env: CloudflareTestEnv;

  beforeAll(async () => {
    env = await startCloudflareTestEnv();
  });
  afterAll(() => env.close());

  it('deletes a live input whose delete failed before the restart, exactly once, after it', async () => {
    const app = sdk(env.t.app, (await env.t.createTenant('Restart')).apiKey);
    const stream = (await app.startStream({ userId: 'restart@example.com', restreamDestinations: [youtube('yt-restart-01')] }))
      .body;
    const input = env.cf.control.liveInputs().find((i) => (i.meta as { streamId?: string }).streamId === stream.streamId)!;

    // Cloudflare fails every delete: the stop succeeds for the app, the delete becomes a retried job.
    env.cf.control.injectFailure({ status: 502, method: 'DELETE' });
    expect((await app.delete(`/api/managed-streams/${stream.streamId}`)).body.status).toBe('stopped');
    await waitFor('a failed delete attempt by the job', async () =>
      env.cf.control.requests().filter((r) => r.method === 'DELETE').length >= 2 ? true : null,
    );
    await env.t.app.close();
    env.cf.control.clearFailures();

    // A new worker process on the same database and Redis picks the job up.
    const worker = await createApp({ ...env.t.config, PROCESS_ROLE: 'worker' });
    await worker.init();
    try {
      await waitFor('the live input to be deleted', async () => (env.cf.control.liveInputs().length === 0 ? true : null), 90_000);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const deletes = env.cf.control.requests().filter((r) => r.method === 'DELETE' && r.path.endsWith(input.uid));
      expect(deletes.filter((r) => r.status === 204 || r.status === 200)).toHaveLength(1);
    } finally {
      await worker.close();
      env.t.close = async () => {};
    }
  }, 120_000);
});
