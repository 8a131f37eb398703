import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

describe('stop finalisation job (BullMQ on real Redis)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ STREAM_STOP_GRACE_SECONDS: '1' });
  });
  afterAll(() => t.close());

  it('marks a stopping stream stopped when the relay never confirms, exactly once', async () => {
    const app = sdk(t.app, (await t.createTenant('Jobs')).apiKey);
    const started = await app.startStream({ userId: 'never-confirms@example.com' });
    const { streamId } = started.body;
    await relay(t.app).post('/stream-status', { userId: 'never-confirms@example.com', streamId, status: 'active' });
    expect((await app.delete(`/api/managed-streams/${streamId}`)).body.status).toBe('stopping');

    const deadline = Date.now() + 10_000;
    let status = 'stopping';
    while (status === 'stopping' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await app.get(`/api/managed-streams/${streamId}`)).body.status;
    }
    expect(status).toBe('stopped');
    const view = (await app.get(`/api/managed-streams/${streamId}`)).body;
    expect(view.statusReason).toBe('the carrier did not confirm the stop in time');
  });
});
