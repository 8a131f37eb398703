import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

describe('managed streams API', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createTenant('Alpha')).apiKey;
  });
  afterAll(() => t.close());

  it('creates a stream with destinations and returns the ingest URL', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/api/managed-streams')
      .set('Authorization', `Bearer ${key}`)
      .send({
        userId: 'alice@example.com',
        restreamDestinations: [
          { url: 'rtmp://a.rtmp.youtube.com/live2/yt-secret-key-1234' },
          { url: 'rtmps://live.twitch.tv/app', streamKey: 'live_twitch_secret_9876', name: 'My Twitch' },
        ],
      });
    expect(res.status).toBe(201);
    expect(res.body.ingestUrl).toMatch(/^rtmp:\/\/relay\.test:1935\/live\/u[a-z2-7]+\/ms_[\w-]+\?key=pk_[\w-]{40,}$/);
    expect(res.body.destinations).toHaveLength(2);
    expect(JSON.stringify(res.body)).not.toContain('yt-secret-key-1234');
  });
});
