import type Cloudflare from 'cloudflare';
import { loadOpenApiDocument } from './openapi-document';
import { compileComponentValidator } from './request-validator';
import { manualClock, rawCall, sdkFor } from './sdk-test-kit';
import { startCloudflareStandIn, type CloudflareStandIn } from './stand-in-server';
import { startWebhookReceiver } from './webhook-receiver';

const SECRET = 'webhook-secret-for-tests';

describe('Cloudflare stand-in: live status, live videos and webhooks', () => {
  const clock = manualClock(Date.parse('2026-03-01T12:00:00Z'));
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let standIn: CloudflareStandIn;
  let cf: Cloudflare;
  let account_id: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    standIn = await startCloudflareStandIn({
      now: clock.now,
      webhook: { url: receiver.url, secret: SECRET },
      customerCode: 'abc123',
    });
    cf = sdkFor(standIn);
    account_id = standIn.accountId;
  });
  afterAll(async () => {
    await standIn.close();
    await receiver.close();
  });
  beforeEach(() => {
    standIn.control.reset();
    standIn.control.setStatusShape('string');
    receiver.received.length = 0;
  });

  const status = async (uid: string) => (await cf.stream.liveInputs.get(uid, { account_id })).status as unknown;

  it('reports status null until connected, then the schema’s string values', async () => {
    const { uid } = await cf.stream.liveInputs.create({ account_id, recording: { mode: 'automatic' } });
    expect(await status(uid!)).toBeNull();
    standIn.control.setState(uid!, { state: 'connected' });
    expect(await status(uid!)).toBe('connected');
    standIn.control.setState(uid!, { state: 'reconnecting' });
    expect(await status(uid!)).toBe('reconnecting');
    standIn.control.setState(uid!, { state: 'disconnected' });
    expect(await status(uid!)).toBe('client_disconnect');
    standIn.control.setState(uid!, { state: 'connected', status: 'new_configuration_accepted' });
    expect(await status(uid!)).toBe('new_configuration_accepted');
  });

  it('reports status as the observed object, per stand-in or per input, and JSON-encoded', async () => {
    const { uid } = await cf.stream.liveInputs.create({ account_id });
    const { uid: other } = await cf.stream.liveInputs.create({ account_id });
    standIn.control.setState(uid!, { state: 'connected' });
    standIn.control.setState(other!, { state: 'connected' });
    standIn.control.setStatusShape('object', uid);
    clock.advance(30_000);

    const connectedAt = new Date(clock.now() - 30_000).toISOString();
    expect(await status(uid!)).toEqual({
      current: {
        state: 'connected',
        reason: 'connected',
        ingestProtocol: 'rtmp',
        statusEnteredAt: connectedAt,
        statusLastSeen: new Date(clock.now()).toISOString(),
      },
      history: [],
    });
    expect(await status(other!)).toBe('connected');

    standIn.control.setStatusShape('json-string');
    standIn.control.setState(other!, { state: 'disconnected' });
    expect(JSON.parse((await status(other!)) as string)).toEqual({
      current: { ingestProtocol: 'rtmp', reason: 'client_disconnect' },
      history: [],
    });
    standIn.control.setState(uid!, { state: 'disconnected' });
    expect(await status(uid!)).toEqual({ current: { ingestProtocol: 'rtmp', reason: 'client_disconnect' }, history: [] });
  });

  it('shows a live-inprogress video with HLS and DASH playback, which becomes ready on disconnect', async () => {
    const { uid } = await cf.stream.liveInputs.create({ account_id, recording: { mode: 'automatic' }, meta: { name: 'walk' } });
    standIn.control.setState(uid!, { state: 'connected' });
    expect((await cf.stream.list({ account_id, live_input_id: uid! })).result).toEqual([]);

    const appeared = standIn.control.makeLiveVideoAppear(uid!);
    const videos = (await cf.stream.list({ account_id, live_input_id: uid! })).result;
    expect(videos).toEqual([appeared]);
    expect(videos[0]).toMatchObject({
      uid: expect.stringMatching(/^[0-9a-f]{32}$/),
      liveInput: uid,
      status: { state: 'live-inprogress' },
      readyToStream: false,
      playback: {
        hls: `https://customer-abc123.cloudflarestream.com/${videos[0].uid}/manifest/video.m3u8`,
        dash: `https://customer-abc123.cloudflarestream.com/${videos[0].uid}/manifest/video.mpd`,
      },
    });
    const ofInput = await rawCall(standIn, 'GET', `/stream/live_inputs/${uid}/videos`);
    expect(ofInput.body).toMatchObject({ success: true, result: videos, range: 1, total: 1 });
    expect(standIn.control.makeLiveVideoAppear(uid!)).toEqual(appeared);

    clock.advance(90_000);
    standIn.control.setState(uid!, { state: 'disconnected' });
    const [recorded] = (await cf.stream.list({ account_id, live_input_id: uid! })).result;
    expect(recorded).toMatchObject({ uid: videos[0].uid, status: { state: 'ready' }, readyToStream: true, duration: 90 });
    const live = await cf.stream.list({ account_id, live_input_id: uid!, status: 'live-inprogress' });
    expect(live.result).toEqual([]);
  });

  it('never gives a recording.mode "off" input a playable video', async () => {
    const { uid } = await cf.stream.liveInputs.create({ account_id, recording: { mode: 'off' } });
    standIn.control.setState(uid!, { state: 'connected' });
    expect(standIn.control.makeLiveVideoAppear(uid!)).toBeNull();
    expect((await cf.stream.list({ account_id, live_input_id: uid! })).result).toEqual([]);
    expect(await status(uid!)).toBe('connected');
  });

  it('POSTs Cloudflare’s live input notifications with the secret header', async () => {
    const { uid } = await cf.stream.liveInputs.create({ account_id, recording: { mode: 'automatic' } });
    standIn.control.setState(uid!, { state: 'connected' });
    standIn.control.setState(uid!, { state: 'reconnecting' });
    clock.advance(5000);
    standIn.control.setState(uid!, {
      state: 'errored',
      errorCode: 'ERR_UNSUPPORTED_AUDIO_CODEC',
      audioCodec: 'mp3',
      videoCodec: 'h264',
    });
    standIn.control.setState(uid!, { state: 'disconnected' });
    await standIn.control.settleWebhooks();

    expect(receiver.received.map((r) => r.headers['cf-webhook-auth'])).toEqual([SECRET, SECRET, SECRET]);
    const bodies = receiver.received.map((r) => r.body as { data: { event_type: string } });
    expect(bodies.map((b) => b.data.event_type)).toEqual([
      'live_input.connected',
      'live_input.errored',
      'live_input.disconnected',
    ]);
    expect(bodies[0]).toEqual({
      name: 'Stream Live Input Notifications',
      text: `Notification type: Stream Live Input\nInput ID: ${uid}\nEvent type: live_input.connected\nUpdated at: ${new Date(clock.now() - 5000).toISOString()}`,
      data: {
        notification_name: 'Stream Live Input',
        input_id: uid,
        event_type: 'live_input.connected',
        updated_at: new Date(clock.now() - 5000).toISOString(),
      },
      ts: Math.floor((clock.now() - 5000) / 1000),
    });
    expect(bodies[1]).toMatchObject({
      data: {
        event_type: 'live_input.errored',
        live_input_errored: {
          error: { code: 'ERR_UNSUPPORTED_AUDIO_CODEC', message: 'The input audio codec is unsupported for the protocol used.' },
          video_codec: 'h264',
          audio_codec: 'mp3',
        },
      },
    });
    const notification = compileComponentValidator(loadOpenApiDocument(), 'x_stream_live_input_notification');
    for (const body of bodies)
      expect({ valid: notification(body), errors: notification.errors ?? null }).toEqual({ valid: true, errors: null });
    expect(standIn.control.webhookDeliveries().map((d) => d.status)).toEqual([200, 200, 200]);
  });

  it('ends the broadcast when the input is disabled, its keys rotated or it is deleted; a disabled input refuses connections', async () => {
    const { uid } = await cf.stream.liveInputs.create({ account_id, recording: { mode: 'automatic' } });
    standIn.control.setState(uid!, { state: 'connected' });
    standIn.control.makeLiveVideoAppear(uid!);
    await cf.stream.liveInputs.update(uid!, { account_id, enabled: false });
    expect(await status(uid!)).toBe('client_disconnect');
    expect((await cf.stream.list({ account_id, live_input_id: uid! })).result.map((v) => v.status?.state)).toEqual(['ready']);
    expect(() => standIn.control.setState(uid!, { state: 'connected' })).toThrow(/disabled/);

    await cf.stream.liveInputs.update(uid!, { account_id, enabled: true });
    standIn.control.setState(uid!, { state: 'connected' });
    await rawCall(standIn, 'POST', `/stream/live_inputs/${uid}/rotate_keys`);
    expect(await status(uid!)).toBe('client_disconnect');

    standIn.control.setState(uid!, { state: 'connected' });
    standIn.control.makeLiveVideoAppear(uid!);
    await cf.stream.liveInputs.delete(uid!, { account_id });
    // Recordings outlive the input, as on Cloudflare.
    const kept = (await cf.stream.list({ account_id, live_input_id: uid! })).result;
    expect(kept.map((v) => v.status?.state)).toEqual(['ready', 'ready']);

    await standIn.control.settleWebhooks();
    const events = receiver.received.map((r) => (r.body as { data: { event_type: string } }).data.event_type);
    expect(events).toEqual([
      'live_input.connected',
      'live_input.disconnected',
      'live_input.connected',
      'live_input.disconnected',
      'live_input.connected',
      'live_input.disconnected',
    ]);
  });

  it('shows a connected input’s live video at once when asked to, on another delivery origin', async () => {
    const eager = await startCloudflareStandIn({ liveVideoOnConnect: true, deliveryOrigin: 'http://127.0.0.1:8888' });
    try {
      const eagerCf = sdkFor(eager);
      const { uid } = await eagerCf.stream.liveInputs.create({ account_id: eager.accountId, recording: { mode: 'automatic' } });
      eager.control.setState(uid!, { state: 'connected' });
      const videos = (await eagerCf.stream.list({ account_id: eager.accountId, live_input_id: uid! })).result;
      expect(videos.map((v) => v.status?.state)).toEqual(['live-inprogress']);
      expect(videos[0].playback?.hls).toBe(`http://127.0.0.1:8888/${videos[0].uid}/manifest/video.m3u8`);
    } finally {
      await eager.close();
    }
  });
});
