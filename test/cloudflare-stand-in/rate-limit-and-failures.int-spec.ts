import { manualClock, rawCall, sdkFailure, sdkFor } from './sdk-test-kit';
import { startCloudflareStandIn, type CloudflareStandIn } from './stand-in-server';

const MINUTE = 60_000;

describe('Cloudflare stand-in: rate limit', () => {
  const clock = manualClock();
  let standIn: CloudflareStandIn;

  beforeEach(async () => {
    standIn = await startCloudflareStandIn({ now: clock.now });
  });
  afterEach(() => standIn.close());

  it('answers request 1,201 of a window with 429, keeps every call at 429 for 5 minutes, then recovers', async () => {
    const cf = sdkFor(standIn);
    const account_id = standIn.accountId;
    const { uid } = await cf.stream.liveInputs.create({ account_id });
    for (let i = 2; i <= 1200; i++) {
      await cf.stream.liveInputs.get(uid!, { account_id });
      if (i % 100 === 0) clock.advance(10_000);
    }
    const limited = await rawCall(standIn, 'GET', `/stream/live_inputs/${uid}`);
    expect({ status: limited.status, retryAfter: limited.headers.get('retry-after'), body: limited.body }).toEqual({
      status: 429,
      retryAfter: '300',
      body: {
        result: null,
        success: false,
        errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }],
        messages: [],
      },
    });

    clock.advance(5 * MINUTE - 1000);
    const stillLimited = await sdkFailure(() => cf.stream.liveInputs.create({ account_id }));
    expect(stillLimited).toMatchObject({ status: 429, name: 'RateLimitError' });
    expect(await sdkFailure(() => cf.stream.liveInputs.list({ account_id }))).toMatchObject({ status: 429 });

    clock.advance(1000);
    expect(await cf.stream.liveInputs.get(uid!, { account_id })).toMatchObject({ uid });
    const counters = standIn.control.counters();
    expect(counters.total).toBe(1204);
    expect(counters.byStatus).toEqual({ '200': 1201, '429': 3 });
  });

  it('slides its window: requests older than 5 minutes stop counting', async () => {
    const cf = sdkFor(standIn);
    const account_id = standIn.accountId;
    for (let i = 0; i < 600; i++) await cf.stream.liveInputs.list({ account_id });
    clock.advance(4 * MINUTE);
    for (let i = 0; i < 599; i++) await cf.stream.liveInputs.list({ account_id });
    clock.advance(MINUTE);
    // The first 600 left the window: 599 remain, so 601 more fit before the limit.
    for (let i = 0; i < 601; i++) await cf.stream.liveInputs.list({ account_id });
    expect(await sdkFailure(() => cf.stream.liveInputs.list({ account_id }))).toMatchObject({ status: 429 });
    expect(standIn.control.counters().byStatus).toEqual({ '200': 1800, '429': 1 });
  });

  it('tells the remaining budget in Cloudflare’s Ratelimit headers', async () => {
    const { headers } = await rawCall(standIn, 'GET', '/stream/live_inputs');
    expect({ ratelimit: headers.get('ratelimit'), policy: headers.get('ratelimit-policy') }).toEqual({
      ratelimit: '"default";r=1199;t=300',
      policy: '"default";q=1200;w=300',
    });
  });

  it('takes a smaller limit for benchmarks', async () => {
    const small = await startCloudflareStandIn({ now: clock.now, rateLimit: { limit: 3 } });
    try {
      const cf = sdkFor(small);
      for (let i = 0; i < 3; i++) await cf.stream.liveInputs.list({ account_id: small.accountId });
      expect(await sdkFailure(() => cf.stream.liveInputs.list({ account_id: small.accountId }))).toMatchObject({ status: 429 });
    } finally {
      await small.close();
    }
  });
});

describe('Cloudflare stand-in: failure injection', () => {
  let standIn: CloudflareStandIn;

  beforeAll(async () => {
    standIn = await startCloudflareStandIn();
  });
  afterAll(() => standIn.close());
  beforeEach(() => standIn.control.reset());

  it('fails the next N matching requests with a 5xx, then answers again', async () => {
    const cf = sdkFor(standIn);
    const account_id = standIn.accountId;
    standIn.control.injectFailure({ status: 503, times: 2, method: 'POST', pathPattern: '/live_inputs$' });

    expect((await cf.stream.liveInputs.list({ account_id })).liveInputs).toEqual([]);
    for (let i = 0; i < 2; i++) {
      expect(await sdkFailure(() => cf.stream.liveInputs.create({ account_id }))).toEqual({
        status: 503,
        errors: [{ code: 10001, message: 'Internal Server Error' }],
        name: 'InternalServerError',
      });
    }
    expect(await cf.stream.liveInputs.create({ account_id })).toMatchObject({ uid: expect.any(String) });
    expect(standIn.control.failures()).toEqual([]);
    expect(standIn.control.liveInputs()).toHaveLength(1);
  });

  it('answers an injected 5xx with the edge’s HTML page when asked to', async () => {
    const cf = sdkFor(standIn);
    standIn.control.injectFailure({ status: 502, edgeHtml: true, times: 1 });
    const failure = await cf.stream.liveInputs.list({ account_id: standIn.accountId }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 502, message: expect.stringContaining('<center>cloudflare</center>') });
    expect((await cf.stream.liveInputs.list({ account_id: standIn.accountId })).liveInputs).toEqual([]);
  });

  it('injects 429, 401 and 403 until cleared', async () => {
    const cf = sdkFor(standIn);
    const account_id = standIn.accountId;
    const throttled = standIn.control.injectFailure({ status: 429, retryAfterSeconds: 7 });
    const first = await rawCall(standIn, 'GET', '/stream/live_inputs');
    expect({ status: first.status, retryAfter: first.headers.get('retry-after') }).toEqual({ status: 429, retryAfter: '7' });
    expect(await sdkFailure(() => cf.stream.liveInputs.list({ account_id }))).toMatchObject({ status: 429 });
    standIn.control.clearFailures(throttled.id);

    standIn.control.injectFailure({ status: 401, times: 1 });
    standIn.control.injectFailure({ status: 403, times: 1 });
    expect(await sdkFailure(() => cf.stream.liveInputs.list({ account_id }))).toMatchObject({
      status: 401,
      name: 'AuthenticationError',
    });
    expect(await sdkFailure(() => cf.stream.liveInputs.list({ account_id }))).toMatchObject({
      status: 403,
      errors: [{ code: 10000, message: 'Authentication error' }],
    });
    expect((await cf.stream.liveInputs.list({ account_id })).liveInputs).toEqual([]);
  });

  it('hangs without answering until the SDK times out', async () => {
    const cf = sdkFor(standIn, { timeout: 300 });
    const account_id = standIn.accountId;
    standIn.control.injectFailure({ hang: true, times: 1, method: 'GET' });
    const started = Date.now();
    const timedOut = await sdkFailure(() => cf.stream.liveInputs.list({ account_id }));
    // Outside jest the SDK says APIConnectionTimeoutError; under jest the AbortError comes from
    // another realm and the SDK cannot recognise it, so it reports a plain connection error.
    expect(timedOut.status).toBeUndefined();
    expect(['APIConnectionTimeoutError', 'APIConnectionError']).toContain(timedOut.name);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(standIn.control.requests().map((r) => r.outcome)).toEqual(['hanging']);
    expect((await cf.stream.liveInputs.list({ account_id })).liveInputs).toEqual([]);
  });

  it('counts requests in total, per operation and per window, and logs them', async () => {
    const cf = sdkFor(standIn);
    const account_id = standIn.accountId;
    const { uid } = await cf.stream.liveInputs.create({ account_id, meta: { name: 'counted' } });
    await cf.stream.liveInputs.get(uid!, { account_id });
    await cf.stream.liveInputs.get(uid!, { account_id });
    await sdkFailure(() => cf.stream.liveInputs.get('0'.repeat(32), { account_id }));
    const counters = standIn.control.counters();
    expect(counters).toMatchObject({
      total: 4,
      byOperation: { 'stream-live-inputs-create-a-live-input': 1, 'stream-live-inputs-retrieve-a-live-input': 3 },
      byStatus: { '200': 3, '404': 1 },
    });
    expect(counters.byWindow).toEqual([{ windowStart: expect.any(String), count: 4 }]);
    expect(standIn.control.requests()[0]).toMatchObject({
      method: 'POST',
      path: `/client/v4/accounts/${account_id}/stream/live_inputs`,
      operationId: 'stream-live-inputs-create-a-live-input',
      body: { meta: { name: 'counted' } },
      status: 200,
      outcome: 'answered',
    });
  });
});
