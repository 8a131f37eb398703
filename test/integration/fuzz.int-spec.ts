import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { HostResolver } from '../../src/destinations/destination-host-policy';
import { ProbeHostResolver } from '../../src/admin/probe/probe-host-resolver';
import { RtmpProbe } from '../../src/admin/probe/rtmp-probe';
import { adminOverrides, signIn } from '../admin/admin-client';
import request from 'supertest';
import { sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { TEST_RELAY_TOKEN } from '../support/test-config';
import { seededRandom } from '../../relay/testkit/seeded-random';

/**
 * Hostile input at every route family: whatever a client sends, the answer is a 4xx (or a 2xx),
 * never a 5xx. Seeded, so a failure replays exactly; every request goes to the in-process app
 * (DNS and the RTMP probe are stubbed, so SSRF-style URLs never leave the machine).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_251_013);
const REQUESTS_PER_ROUTE = 80;
const CONCURRENCY = 8;
const WEBHOOK_SECRET = 'cf-webhook-secret-for-fuzz';

/** The test kit's seeded generator (mulberry32), with the picks the fuzzer makes. */
function fuzzRandom(seed: number) {
  const rng = seededRandom(seed);
  const int = (max: number): number => rng.int(0, max - 1);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next: rng.next, int, pick, chance: rng.chance };
}
type Rng = ReturnType<typeof fuzzRandom>;

const SSRF_URLS = [
  'rtmp://169.254.169.254/latest/meta-data/key',
  'rtmp://[::1]/live/key',
  'rtmp://[::ffff:127.0.0.1]/live/key',
  'rtmp://localhost/live/key',
  'rtmp://app.localhost:1935/live/key',
  'rtmp://2130706433/live/key',
  'rtmp://0x7f000001/live/key',
  'rtmp://017700000001/live/key',
  'rtmp://127.1/live/key',
  'rtmp://0.0.0.0/live/key',
  'rtmp://10.0.0.1:1935/live/key',
  'rtmp://192.168.1.1/live/key',
  'rtmp://metadata.internal/live/key',
  'rtmps://user:pass@live.example.com/app/key',
  'rtmps://live.example.com:99999/app/key',
  'rtmp://[fe80::1%25eth0]/live/key',
  'rtmp:///live/key',
  'rtmp://',
  'http://169.254.169.254/latest/meta-data/',
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_FLUSHALL',
  'javascript:alert(1)',
  'rtmp://live.example.com/app/key\u0000extra',
  'rtmp://live.example.com/app/\ud800',
  'rtmps://a.rtmp.youtube.com/live2/' + 'k'.repeat(5000),
];

const NASTY_STRINGS = [
  '',
  ' ',
  'a',
  '\u0000',
  'x\u0000y',
  '\ud800',
  '\udfff',
  'a\udc00b',
  '\ud83d\ude00',
  '\u202eevil',
  '\r\nSet-Cookie: x=1',
  '\u0001\u0002\u001f\u007f',
  '%00',
  '%ED%A0%80',
  '../../../../etc/passwd',
  "' OR '1'='1' --",
  '${jndi:ldap://127.0.0.1/a}',
  '<script>alert(1)</script>',
  '{{7*7}}',
  'NaN',
  '-0',
  '1e309',
  '9'.repeat(40),
  '__proto__',
  'constructor',
  'ms_' + 'x'.repeat(70),
  'é'.repeat(300),
  'x'.repeat(3000),
  ...SSRF_URLS,
];

const PATH_SEGMENTS = [
  '%00',
  'a%00b',
  '%01',
  '%0A',
  '%0D%0A',
  '%1F',
  '%7F',
  '%C0%80',
  '%ED%A0%80',
  '%ED%BF%BF',
  '%FF',
  '%',
  '%zz',
  '%2F',
  '..',
  '%2E%2E',
  '__proto__',
  'constructor',
  'prototype',
  '%F0%9F%98%80',
  'x'.repeat(2000),
  '-1',
  '0',
  '1e999',
  'null',
  'undefined',
];

const PROTOTYPE_BODIES = [
  '{"__proto__":{"admin":true,"enabled":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"__proto__":null}',
  '{"toString":"x","valueOf":1,"hasOwnProperty":"y"}',
];

const RAW_JSON_BODIES = [
  '',
  '{',
  '{"a":}',
  '[1,2',
  'null',
  'true',
  '0',
  '"string"',
  '[]',
  '{"durationLimit":1e400}',
  '{"limit":-0}',
  '{"a":"\\u0000"}',
  '{"\\u0000":1}',
  '{"a":"\\ud800"}',
  '{"userId":"\\udfff"}',
  '\ufeff{"userId":"bom"}',
  '{"a":1,"a":2}',
  '{"a":NaN}',
  "{'a':1}",
];

interface Route {
  family: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** `:name` segments are replaced by known ids or by hostile segments. */
  path: string;
  auth: 'app' | 'relay' | 'admin' | 'cloudflare' | 'none';
  /** Fewer requests than REQUESTS_PER_ROUTE, for a route that is slow by design. */
  requests?: number;
  /** A plausible body to mutate (so validation passes often enough to reach the services). */
  body?: (ids: KnownIds, rng: Rng) => unknown;
}

interface KnownIds {
  streamId: string;
  destinationId: string;
  savedDestinationId: string;
  appId: string;
  userId: string;
  relayId: string;
}

const destination = (rng: Rng) => ({
  url: rng.pick([...SSRF_URLS, 'rtmps://a.rtmp.youtube.com/live2', 'rtmp://live.twitch.tv/app/key-1234']),
  streamKey: rng.pick(['key-abcd-1234', '\u0000', '\ud800', 'k'.repeat(600)]),
  name: rng.pick(['YouTube', '\u0000', '']),
});

const ROUTES: Route[] = [
  {
    family: 'sdk',
    method: 'POST',
    path: '/api/managed-streams',
    auth: 'app',
    body: (ids, rng) => ({
      userId: rng.chance(0.5) ? ids.userId : rng.pick(NASTY_STRINGS),
      quality: rng.pick(['720p', '4k']),
      strategy: rng.pick(['auto', 'relay', 'cloudflare', 'hybrid']),
      restreamDestinations: [destination(rng)],
      savedDestinationIds: rng.chance(0.3) ? [ids.savedDestinationId, rng.pick(PATH_SEGMENTS)] : [],
      reconnectWindowSeconds: rng.pick([0, 60, 600, 601, -1, 1.5]),
      slate: { text: rng.pick(NASTY_STRINGS), imageUrl: rng.pick(['http://169.254.169.254/x.png', 'https://example.com/a.png']) },
    }),
  },
  { family: 'sdk', method: 'GET', path: '/api/managed-streams', auth: 'app' },
  { family: 'sdk', method: 'GET', path: '/api/managed-streams/:streamId', auth: 'app' },
  { family: 'sdk', method: 'DELETE', path: '/api/managed-streams/:streamId', auth: 'app' },
  { family: 'sdk', method: 'GET', path: '/api/managed-streams/:streamId/events', auth: 'app' },
  {
    family: 'sdk',
    method: 'POST',
    path: '/api/managed-streams/:streamId/destinations',
    auth: 'app',
    body: (ids, rng) => (rng.chance(0.5) ? destination(rng) : { savedDestinationId: ids.savedDestinationId }),
  },
  {
    family: 'sdk',
    method: 'PATCH',
    path: '/api/managed-streams/:streamId/destinations/:destinationId',
    auth: 'app',
    body: () => ({ enabled: false }),
  },
  { family: 'sdk', method: 'DELETE', path: '/api/managed-streams/:streamId/destinations/:destinationId', auth: 'app' },
  {
    family: 'sdk',
    method: 'POST',
    path: '/api/destinations',
    auth: 'app',
    body: (ids, rng) => ({ ...destination(rng), userId: ids.userId, name: rng.pick(NASTY_STRINGS) }),
  },
  { family: 'sdk', method: 'GET', path: '/api/destinations', auth: 'app' },
  { family: 'sdk', method: 'GET', path: '/api/destinations/:savedDestinationId', auth: 'app' },
  {
    family: 'sdk',
    method: 'PATCH',
    path: '/api/destinations/:savedDestinationId',
    auth: 'app',
    body: (_ids, rng) => ({ name: rng.pick(NASTY_STRINGS), url: rng.pick(SSRF_URLS) }),
  },
  { family: 'sdk', method: 'DELETE', path: '/api/destinations/:savedDestinationId', auth: 'app' },
  { family: 'relay', method: 'GET', path: '/api/rtmp-relay/restream-destinations/:userId/:streamId', auth: 'relay' },
  {
    family: 'relay',
    method: 'POST',
    path: '/api/rtmp-relay/hls-ready',
    auth: 'relay',
    body: (ids, rng) => ({ userId: ids.userId, streamId: ids.streamId, hlsUrl: rng.pick(['http://relay.test/a.m3u8', 'x']) }),
  },
  {
    family: 'relay',
    method: 'POST',
    path: '/api/rtmp-relay/stream-status',
    auth: 'relay',
    body: (ids, rng) => ({
      userId: ids.userId,
      streamId: ids.streamId,
      status: rng.pick(['active', 'reconnecting', 'error', 'stopped']),
      viewers: rng.pick([0, 5, 2 ** 31, 1e12]),
      bitrate: rng.pick([0, 2500.5, 1e9]),
      fps: rng.pick([30, 29.97, 1000]),
      droppedFrames: rng.pick([0, 2 ** 31, 1e12]),
      durationSeconds: rng.pick([10, 2 ** 31, 1e12]),
      destinations: [
        {
          id: ids.destinationId,
          status: rng.pick(['retrying', 'failed', 'errored']),
          lastError: {
            code: rng.pick(['dns_failed', 'nope']),
            message: rng.pick(NASTY_STRINGS),
            at: rng.pick(['2026-12-02T10:00:00.000Z', 'yesterday']),
          },
        },
      ],
    }),
  },
  {
    family: 'relay',
    method: 'POST',
    path: '/api/rtmp-relay/publish-auth',
    auth: 'relay',
    body: (ids, rng) => ({ path: `live/${rng.pick(NASTY_STRINGS)}/${ids.streamId}`, key: rng.pick(NASTY_STRINGS) }),
  },
  {
    family: 'relay',
    method: 'POST',
    path: '/api/rtmp-relay/relays',
    auth: 'relay',
    body: (_ids, rng) => ({
      id: rng.pick(['fuzz-relay', 'x'.repeat(129), 'bad id']),
      rtmpUrl: rng.pick(SSRF_URLS),
      hlsBaseUrl: 'http://relay.test:8888',
      capacity: rng.pick([1, 10_000, 0, 2 ** 31]),
    }),
  },
  { family: 'relay', method: 'GET', path: '/api/rtmp-relay/relays', auth: 'relay' },
  {
    family: 'relay',
    method: 'POST',
    path: '/api/rtmp-relay/relays/:relayId/heartbeat',
    auth: 'relay',
    body: (ids, rng) => ({
      load: rng.pick([0, 100_000]),
      state: 'active',
      activeStreams: [ids.streamId, rng.pick(NASTY_STRINGS)],
    }),
  },
  {
    family: 'admin',
    method: 'POST',
    path: '/admin/api/login',
    auth: 'none',
    // Every sign-in attempt hashes a password (scrypt), on purpose.
    requests: 20,
    body: (_ids, rng) => ({ username: rng.pick(NASTY_STRINGS), password: rng.pick(NASTY_STRINGS) }),
  },
  { family: 'admin', method: 'GET', path: '/admin/api/session', auth: 'admin' },
  { family: 'admin', method: 'POST', path: '/admin/api/logout', auth: 'none' },
  { family: 'admin', method: 'GET', path: '/admin/api/apps', auth: 'admin' },
  { family: 'admin', method: 'GET', path: '/admin/api/relays', auth: 'admin' },
  { family: 'admin', method: 'GET', path: '/admin/api/destination-presets', auth: 'admin' },
  { family: 'admin', method: 'GET', path: '/admin/api/apps/:appId/destinations', auth: 'admin' },
  {
    family: 'admin',
    method: 'POST',
    path: '/admin/api/apps/:appId/destinations',
    auth: 'admin',
    body: (ids, rng) => ({ userId: ids.userId, name: 'Fuzz', ingestUrl: rng.pick(SSRF_URLS), streamKey: 'key-1234' }),
  },
  {
    family: 'admin',
    method: 'PATCH',
    path: '/admin/api/apps/:appId/destinations/:savedDestinationId',
    auth: 'admin',
    body: (_ids, rng) => ({ ingestUrl: rng.pick(SSRF_URLS), enabled: rng.chance(0.5) }),
  },
  { family: 'admin', method: 'DELETE', path: '/admin/api/apps/:appId/destinations/:savedDestinationId', auth: 'admin' },
  {
    family: 'admin',
    method: 'POST',
    path: '/admin/api/destinations/test-connection',
    auth: 'admin',
    body: (ids, rng) =>
      rng.chance(0.7) ? { ingestUrl: rng.pick(SSRF_URLS) } : { appId: ids.appId, destinationId: ids.savedDestinationId },
  },
  { family: 'admin', method: 'GET', path: '/admin/api/streams', auth: 'admin' },
  { family: 'admin', method: 'GET', path: '/admin/api/streams/:streamId', auth: 'admin' },
  { family: 'admin', method: 'POST', path: '/admin/api/streams/:streamId/stop', auth: 'admin' },
  {
    family: 'admin',
    method: 'POST',
    path: '/admin/api/streams/:streamId/destinations',
    auth: 'admin',
    body: (ids, rng) => ({ appId: ids.appId, ...destination(rng) }),
  },
  {
    family: 'admin',
    method: 'PATCH',
    path: '/admin/api/streams/:streamId/destinations/:destinationId',
    auth: 'admin',
    body: () => ({ enabled: true }),
  },
  { family: 'admin', method: 'DELETE', path: '/admin/api/streams/:streamId/destinations/:destinationId', auth: 'admin' },
  { family: 'admin', method: 'GET', path: '/admin/api/events', auth: 'admin' },
  {
    family: 'cloudflare',
    method: 'POST',
    path: '/api/cloudflare/webhooks',
    auth: 'cloudflare',
    body: (_ids, rng) => ({
      name: 'Live',
      data: {
        input_id: rng.pick(NASTY_STRINGS),
        event_type: rng.pick(['live_input.connected', 'live_input.disconnected', 'live_input.errored']),
        live_input_errored: { error: { code: rng.pick(NASTY_STRINGS), message: rng.pick(NASTY_STRINGS) } },
      },
    }),
  },
  { family: 'ops', method: 'GET', path: '/health', auth: 'none' },
  { family: 'ops', method: 'GET', path: '/ping', auth: 'none' },
  { family: 'ops', method: 'GET', path: '/metrics', auth: 'none' },
];

/** Any JSON value, with the odd shapes validators forget. */
function randomValue(rng: Rng, depth = 0): unknown {
  const kind = rng.int(depth > 3 ? 6 : 9);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -1e308, 1e308, Number.MIN_VALUE]);
    case 3:
    case 4:
    case 5:
      return rng.pick(NASTY_STRINGS);
    case 6:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(5) }, () => [
          rng.pick(['userId', 'url', 'streamKey', 'enabled', 'name', '__proto__', 'constructor', 'id', ...NASTY_STRINGS]),
          randomValue(rng, depth + 1),
        ]),
      );
  }
}

/** Replaces one leaf of a plausible body with something it should not be. */
function mutate(value: unknown, rng: Rng): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || rng.chance(0.2)) return randomValue(rng);
    const copy = [...value];
    const index = rng.int(copy.length);
    copy[index] = mutate(copy[index], rng);
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 0 || rng.chance(0.15)) return randomValue(rng);
    const key = rng.pick(keys);
    return { ...value, [key]: mutate((value as Record<string, unknown>)[key], rng) };
  }
  return randomValue(rng);
}

function nested(depth: number, rng: Rng): string {
  return rng.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function encodeQuery(rng: Rng): string {
  const count = rng.int(4);
  const pairs: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = rng.pick([
      'userId',
      'status',
      'limit',
      'lastEventId',
      'beforeEventId',
      'eventsLimit',
      '__proto__',
      'a[b]',
      'key',
    ]);
    const value = rng.chance(0.5)
      ? rng.pick(PATH_SEGMENTS)
      : encodeURIComponent(rng.pick(NASTY_STRINGS).replace(/[\ud800-\udfff]/g, 'x'));
    pairs.push(`${encodeURIComponent(key)}=${value}`);
    if (rng.chance(0.2)) pairs.push(`${encodeURIComponent(key)}=again`);
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

function buildRequest(route: Route, ids: KnownIds, auth: Record<string, string>, rng: Rng): FuzzRequest {
  const path = route.path.replace(/:(\w+)/g, (_match, name: keyof KnownIds) =>
    rng.chance(0.5) ? encodeURIComponent(ids[name]) : rng.pick(PATH_SEGMENTS),
  );
  const headers: Record<string, string> = { ...auth };
  const roll = rng.next();
  if (roll < 0.05) headers['last-event-id'] = rng.pick(['0', '-1', '1e400', 'abc', '9'.repeat(30), '\u00ff\u0080']);
  else if (roll < 0.1) headers['content-encoding'] = rng.pick(['gzip', 'br', 'bogus']);
  else if (roll < 0.13 && headers.authorization) headers.authorization = `Bearer ${'\u00ff'.repeat(rng.int(300))}`;
  else if (roll < 0.16 && headers['x-relay-token']) headers['x-relay-token'] = 'x'.repeat(rng.int(10_000));
  else if (roll < 0.18) headers.cookie = `restream_admin=${rng.pick(PATH_SEGMENTS)}`;
  const request: FuzzRequest = { method: route.method, path: path + encodeQuery(rng), headers };
  if (route.method === 'GET' && rng.chance(0.8)) return request;

  const plausible = route.body?.(ids, rng) ?? randomValue(rng);
  const shape = rng.int(12);
  let contentType = 'application/json';
  let body: string | Buffer;
  if (shape <= 3) body = JSON.stringify(plausible);
  else if (shape <= 5) body = JSON.stringify(mutate(plausible, rng));
  else if (shape === 6) body = rng.pick([...RAW_JSON_BODIES, ...PROTOTYPE_BODIES]);
  else if (shape === 7) body = nested(rng.pick([64, 2_000, 20_000]), rng);
  else if (shape === 8) {
    // 1 MB (over the body limit) or just under it.
    const size = rng.chance(0.3) ? 1024 * 1024 : 60_000;
    body = JSON.stringify({ userId: 'x'.repeat(size), url: 'rtmp://a.example/' + 'k'.repeat(100) });
  } else if (shape === 9) {
    contentType = 'application/x-www-form-urlencoded';
    body = `userId=${rng.pick(PATH_SEGMENTS)}&enabled=true&url=${encodeURIComponent(rng.pick(SSRF_URLS).replace(/[\ud800-\udfff]/g, ''))}&__proto__[x]=1`;
  } else if (shape === 10) {
    contentType = rng.pick(['text/plain', 'application/xml', 'application/json; charset=latin1', 'application/octet-stream']);
    body = JSON.stringify(plausible);
  } else {
    contentType = 'multipart/form-data; boundary=fuzz';
    body = `--fuzz\r\nContent-Disposition: form-data; name="userId"\r\n\r\n\u0000\r\n--fuzz--\r\n`;
  }
  if (rng.chance(0.05)) body = Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc0, 0x80]);
  headers['content-type'] = contentType;
  return { ...request, headers, body };
}

interface Outcome {
  status: number;
  body: string;
}

function send(baseUrl: string, agent: Agent, req: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers, agent },
      (response) => {
        const status = response.statusCode ?? 0;
        // An open event stream is an answer; read no further.
        if ((response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          response.destroy();
          outgoing.destroy();
          resolve({ status, body: '(event stream)' });
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8').slice(0, 300) }));
        response.on('error', reject);
      },
    );
    outgoing.setTimeout(5_000, () => {
      resolve({ status: -1, body: 'no answer in 5 s' });
      outgoing.destroy();
    });
    // A server that refuses a huge body may close before reading it all.
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve({ status: 0, body: error.code }) : reject(error),
    );
    outgoing.end(req.body);
  });
}

/** A raw request line or header the HTTP client would refuse to send: Node's parser must answer 4xx. */
function sendRaw(baseUrl: string, raw: Buffer): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(raw));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(answer) : reject(error)));
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer in 5 s')));
  });
}

/** What the server logged for a 5xx's error id: the error's message and where it was thrown. */
function loggedError(errorLog: string[], failure: string): string {
  const errorId = /"errorId":"([^"]+)"/.exec(failure)?.[1];
  const line = errorId === undefined ? undefined : errorLog.find((entry) => entry.includes(errorId));
  if (line === undefined) return '(nothing)';
  const { err } = JSON.parse(line) as { err?: { message?: string; stack?: string } };
  const where = err?.stack?.split('\n').find((frame) => frame.includes('/src/'));
  // Prisma's messages open with the call site; the reason is on the last line.
  const reason = err?.message?.trim().split('\n').pop() ?? line;
  return `${reason.slice(0, 300)} ${where?.trim() ?? ''}`;
}

describe('hostile input (fuzz)', () => {
  let t: TestApp;
  let ids: KnownIds;
  let authFor: Record<Route['auth'], () => Record<string, string>>;
  const errorLog: string[] = [];

  beforeAll(async () => {
    // Error lines only: a failure below shows what the server logged for each error id.
    const logDestination = new PassThrough();
    logDestination.on('data', (chunk: Buffer) => errorLog.push(...chunk.toString().split('\n').filter(Boolean)));
    t = await startTestApp(
      await adminOverrides({
        LOG_LEVEL: 'error',
        CLOUDFLARE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        // Valid creates must not run the relay out of room: a full relay's 503 is not what this tests.
        RTMP_RELAY_CAPACITY: '100000',
      }),
      { logDestination },
    );
    // Nothing leaves the process: names resolve without DNS (to a public address, or a private one
    // for *.internal), the connection test never dials.
    jest
      .spyOn(t.app.get(HostResolver), 'resolve')
      .mockImplementation((host) => Promise.resolve(host.endsWith('.internal') ? ['10.0.0.7'] : ['93.184.216.34']));
    jest.spyOn(t.app.get(ProbeHostResolver), 'lookup').mockResolvedValue('93.184.216.34');
    jest.spyOn(t.app.get(RtmpProbe), 'probe').mockResolvedValue({
      ok: false,
      tcpConnectMs: null,
      tls: false,
      rtmpHandshake: 'failed',
      message: 'stubbed',
    });

    const tenant = await t.createTenant('Fuzz');
    const client = sdk(t.app, tenant.apiKey);
    const userId = 'fuzz@example.com';
    const saved = await client.post('/api/destinations', {
      userId,
      name: 'Saved',
      url: 'rtmps://a.rtmp.youtube.com/live2',
      streamKey: 'saved-key-1234',
    });
    expect(saved.status).toBe(201);
    const stream = await client.startStream({
      userId,
      restreamDestinations: [{ url: 'rtmp://live.twitch.tv/app/key-5678' }],
    });
    expect(stream.status).toBe(201);
    ids = {
      streamId: stream.body.streamId,
      destinationId: stream.body.destinations[0].id,
      savedDestinationId: saved.body.id,
      appId: tenant.id,
      userId,
      relayId: (await request(t.app.getHttpServer()).get('/api/rtmp-relay/relays').set('x-relay-token', TEST_RELAY_TOKEN)).body
        .relays[0].id,
    };
    const admin = await signIn(t.app);
    authFor = {
      app: () => ({ authorization: `Bearer ${tenant.apiKey}` }),
      relay: () => ({ 'x-relay-token': TEST_RELAY_TOKEN }),
      admin: () => ({ cookie: admin.cookie, 'x-csrf-token': admin.csrfToken }),
      cloudflare: () => ({ 'cf-webhook-auth': WEBHOOK_SECRET }),
      none: () => ({}),
    };
  });
  afterAll(() => t.close());

  it('answers thousands of malformed requests at every route family without a 5xx', async () => {
    const rng = fuzzRandom(SEED);
    const requests: FuzzRequest[] = [];
    for (const route of ROUTES) {
      for (let i = 0; i < (route.requests ?? REQUESTS_PER_ROUTE); i++) {
        // A fifth go with a wrong or missing credential: the refusal must be a 4xx too.
        const auth = rng.chance(0.2)
          ? rng.pick<Record<string, string>>([{}, { authorization: 'Bearer wrong-key-wrong-key' }, { 'x-relay-token': 'nope' }])
          : authFor[route.auth]();
        requests.push(buildRequest(route, ids, auth, rng));
      }
    }
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const req = requests[next++];
        const outcome = await send(t.baseUrl, agent, req);
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        if (outcome.status >= 500 || outcome.status < 0) {
          const body = typeof req.body === 'string' ? req.body.slice(0, 200) : req.body?.toString('hex');
          failures.push(
            `${req.method} ${req.path.slice(0, 200)} [${req.headers['content-type'] ?? ''}] ${body ?? ''} -> ${outcome.status} ${outcome.body}`,
          );
        }
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    // Shown on failure and handy when tuning: what the service answered, by status.
    const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
    if (failures.length > 0) {
      throw new Error(
        `${failures.length} of ${requests.length} requests got a 5xx (seed ${SEED}, ${Date.now() - started} ms; ${summary.join(', ')}):\n` +
          failures
            .slice(0, 15)
            .map((failure) => `${failure}\n    logged: ${loggedError(errorLog, failure)}`)
            .join('\n'),
      );
    }
    expect(requests.length).toBeGreaterThan(3_000);
  }, 60_000);

  it('refuses NUL bytes and lone surrogates with a 400 that names where they were', async () => {
    const server = t.app.getHttpServer();
    const auth = authFor.app();
    const cases: [request.Test, string][] = [
      [
        request(server).patch('/api/managed-streams/%00/destinations/x').set(auth).send({ enabled: true }),
        'path parameter "streamId" contains a NUL byte',
      ],
      [request(server).get('/api/managed-streams?userId=a%00').set(auth), 'query parameter "userId" contains a NUL byte'],
      [
        request(server)
          .post('/api/managed-streams')
          .set(auth)
          .set('content-type', 'application/json')
          .send('{"userId":"u","restreamDestinations":[{"url":"rtmp://x.example/app/\\ud800"}]}'),
        'body field "restreamDestinations.0.url" contains an unpaired UTF-16 surrogate',
      ],
      [
        request(server)
          .post('/api/rtmp-relay/relays/x/heartbeat')
          .set(authFor.relay())
          .send({ load: 0, activeStreams: ['\u0000'] }),
        'body field "activeStreams.0" contains a NUL byte',
      ],
    ];
    for (const [test, message] of cases) {
      const res = await test;
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: `Invalid request: ${message}` });
    }
  });

  it('answers bytes the HTTP client would not send (raw NUL, bad UTF-8, split headers) with a 4xx', async () => {
    const raw = [
      Buffer.from('GET /api/managed-streams/\u0000 HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'),
      Buffer.concat([
        Buffer.from('GET /api/managed-streams/'),
        Buffer.from([0xed, 0xa0, 0x80, 0xff]),
        Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
      ]),
      Buffer.from('GET /health HTTP/1.1\r\nHost: x\r\nx-api-key: a\u0000b\r\n\r\n', 'latin1'),
      Buffer.from('GET /health HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\rX: y\r\n\r\n', 'latin1'),
      Buffer.from(
        'POST /api/managed-streams HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        'latin1',
      ),
    ];
    for (const bytes of raw) {
      const answer = await sendRaw(t.baseUrl, bytes);
      const statusLine = answer.split('\r\n')[0];
      // Node's parser answers 400 (or just closes the socket): either way, never a 5xx.
      expect({ request: bytes.toString('latin1').split('\r\n')[0], statusLine }).toEqual({
        request: bytes.toString('latin1').split('\r\n')[0],
        statusLine: expect.stringMatching(/^$|^HTTP\/1\.1 4\d\d /),
      });
    }
  });

  it('is still healthy afterwards', async () => {
    const health = await send(t.baseUrl, new Agent(), { method: 'GET', path: '/health', headers: {} });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
  });
});
