import { spawn } from 'node:child_process';
import path from 'node:path';
import { rawCall, sdkFailure, sdkFor } from './sdk-test-kit';
import { startCloudflareStandIn, type CloudflareStandIn } from './stand-in-server';
import { startWebhookReceiver } from './webhook-receiver';

const ROOT = path.resolve(__dirname, '../..');

/** Calls `/__control` as another process would. */
function controlOf(baseURL: string) {
  const origin = baseURL.replace(/\/client\/v4$/, '');
  return async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${origin}/__control${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
}

describe('Cloudflare stand-in: /__control over HTTP', () => {
  let standIn: CloudflareStandIn;
  let control: ReturnType<typeof controlOf>;

  beforeAll(async () => {
    standIn = await startCloudflareStandIn();
    control = controlOf(standIn.baseURL);
  });
  afterAll(() => standIn.close());
  beforeEach(() => standIn.control.reset());

  it('lists inputs, drives their state and live video, and switches the status shape', async () => {
    const cf = sdkFor(standIn);
    const account_id = standIn.accountId;
    const { uid } = await cf.stream.liveInputs.create({ account_id, recording: { mode: 'automatic' } });
    await cf.stream.liveInputs.outputs.create(uid!, { account_id, url: 'rtmp://example.com/live', streamKey: 'k' });

    expect(await control('GET', '/live-inputs')).toMatchObject({
      status: 200,
      body: [{ uid, connectionState: 'idle', status: null, outputs: [{ url: 'rtmp://example.com/live' }], videos: [] }],
    });
    expect(await control('POST', `/live-inputs/${uid}/state`, { state: 'connected' })).toMatchObject({
      status: 200,
      body: { uid, connectionState: 'connected', status: 'connected' },
    });
    const appeared = await control('POST', `/live-inputs/${uid}/live-video`);
    expect(appeared).toMatchObject({ status: 200, body: { video: { liveInput: uid, status: { state: 'live-inprogress' } } } });
    expect((await cf.stream.list({ account_id, live_input_id: uid! })).result).toEqual([
      (appeared.body as { video: unknown }).video,
    ]);

    expect(await control('PUT', '/status-shape', { shape: 'object' })).toMatchObject({ status: 200 });
    expect((await cf.stream.liveInputs.get(uid!, { account_id })).status).toMatchObject({ current: { state: 'connected' } });
    expect(await control('GET', `/live-inputs/${uid}/outputs`)).toMatchObject({ status: 200, body: [{ streamKey: 'k' }] });
    await control('PUT', '/status-shape', { shape: 'string' });
  });

  it('refuses bad control requests with a clear 4xx', async () => {
    expect(await control('POST', `/live-inputs/${'0'.repeat(32)}/state`, { state: 'connected' })).toEqual({
      status: 404,
      body: { error: `No live input ${'0'.repeat(32)}` },
    });
    const badState = await control('POST', `/live-inputs/x/state`, { state: 'on-fire' });
    expect(badState).toMatchObject({ status: 400, body: { error: 'Invalid control request' } });
    const { uid } = await sdkFor(standIn).stream.liveInputs.create({ account_id: standIn.accountId });
    expect(await control('POST', `/live-inputs/${uid}/live-video`)).toMatchObject({ status: 409 });
    expect(await control('POST', '/failures', { times: 1 })).toMatchObject({ status: 400 });
    expect(await control('GET', '/nothing-here')).toMatchObject({ status: 404 });
  });

  it('injects and clears failures, reads counters and the request log, and resets', async () => {
    const cf = sdkFor(standIn);
    const account_id = standIn.accountId;
    const injected = await control('POST', '/failures', { status: 502, pathPattern: 'live_inputs' });
    expect(injected).toMatchObject({ status: 200, body: { id: expect.any(Number), status: 502, remaining: null } });
    expect(await sdkFailure(() => cf.stream.liveInputs.list({ account_id }))).toMatchObject({ status: 502 });
    expect(await sdkFailure(() => cf.stream.liveInputs.list({ account_id }))).toMatchObject({ status: 502 });
    expect(await control('DELETE', '/failures')).toEqual({ status: 204, body: undefined });
    await cf.stream.liveInputs.create({ account_id });

    expect(await control('GET', '/counters')).toMatchObject({
      status: 200,
      body: { total: 3, byStatus: { '200': 1, '502': 2 }, byOperation: { 'stream-live-inputs-create-a-live-input': 1 } },
    });
    const log = await control('GET', '/requests');
    expect((log.body as { outcome: string }[]).map((r) => r.outcome)).toEqual(['injected', 'injected', 'answered']);

    await control('POST', '/reset');
    expect(await control('GET', '/live-inputs')).toEqual({ status: 200, body: [] });
    expect(await control('GET', '/counters')).toMatchObject({ body: { total: 0 } });
  });

  it('takes a webhook target at run time and lists its deliveries', async () => {
    const receiver = await startWebhookReceiver();
    try {
      expect(await control('PUT', '/webhook', { url: receiver.url, secret: 's3cret' })).toEqual({ status: 204, body: undefined });
      const { uid } = await sdkFor(standIn).stream.liveInputs.create({ account_id: standIn.accountId });
      await control('POST', `/live-inputs/${uid}/state`, { state: 'errored', errorCode: 'ERR_GOP_OUT_OF_RANGE' });
      const deliveries = await control('GET', '/webhooks');
      expect(deliveries).toMatchObject({
        status: 200,
        body: [{ eventType: 'live_input.errored', inputId: uid, status: 200 }],
      });
      expect(receiver.received[0]).toMatchObject({
        headers: { 'cf-webhook-auth': 's3cret' },
        body: { data: { input_id: uid, live_input_errored: { error: { code: 'ERR_GOP_OUT_OF_RANGE' } } } },
      });
      await control('DELETE', '/webhook');
    } finally {
      await receiver.close();
    }
  });
});

describe('npm run cloudflare:stand-in', () => {
  it('starts the stand-in on its own and prints where the SDK should point', async () => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'test/cloudflare-stand-in/main.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          CF_STAND_IN_PORT: '0',
          CF_STAND_IN_API_TOKEN: 'local-token',
          CF_STAND_IN_ACCOUNT_ID: 'ab'.repeat(16),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let printed = '';
      const baseURL = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          printed += chunk.toString();
          const found = /baseURL\s+(\S+)/.exec(printed);
          if (found && printed.includes('control')) resolve(found[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${printed}`)));
      });
      expect(printed).toContain(`account id ${'ab'.repeat(16)}`);
      expect(printed).toContain('API token  local-token');
      const local = { baseURL, accountId: 'ab'.repeat(16), apiToken: 'local-token' } as CloudflareStandIn;
      const created = await rawCall(local, 'POST', '/stream/live_inputs', { recording: { mode: 'automatic' } });
      expect(created).toMatchObject({ status: 200, body: { success: true, result: { uid: expect.any(String) } } });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
