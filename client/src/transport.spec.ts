import { NetworkError, NotFoundError } from './errors.js';
import { operationRequest, Transport } from './transport.js';

describe('operationRequest', () => {
  it('fills and encodes path parameters, skips empty query values', () => {
    expect(
      operationRequest(
        'https://api.example.com/',
        'GET /api/managed-streams/{streamId}',
        { streamId: 'str 1/2' },
        { status: 'live', userId: undefined, limit: 5 },
      ),
    ).toEqual({ method: 'GET', url: 'https://api.example.com/api/managed-streams/str%201%2F2?status=live&limit=5' });
  });

  it('refuses a missing path parameter', () => {
    expect(() => operationRequest('http://h', 'DELETE /api/destinations/{id}', {})).toThrow('missing path parameter "id"');
  });
});

describe('Transport', () => {
  afterEach(() => jest.useRealTimers());

  it('sends the key, a JSON body, and returns the parsed answer', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const transport = new Transport({
      baseUrl: 'http://api.test',
      apiKey: 'rsk_key',
      fetch: async (url, init) => {
        calls.push({ url, init });
        return new Response(JSON.stringify({ id: 'dst_1', enabled: false }), { status: 200 });
      },
    });
    const result = await transport.call('PATCH /api/managed-streams/{streamId}/destinations/{destinationId}', {
      path: { streamId: 's1', destinationId: 'd1' },
      body: { enabled: false },
    });
    expect(result).toEqual({ id: 'dst_1', enabled: false });
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('http://api.test/api/managed-streams/s1/destinations/d1');
    expect(calls[0].init).toMatchObject({
      method: 'PATCH',
      body: '{"enabled":false}',
      headers: { Authorization: 'Bearer rsk_key', 'Content-Type': 'application/json', Accept: 'application/json' },
    });
  });

  it('returns undefined for 204 and throws the typed error otherwise', async () => {
    const answers = [
      new Response(null, { status: 204 }),
      new Response('{"statusCode":404,"error":"not_found","message":"No such stream"}', { status: 404 }),
    ];
    const transport = new Transport({ baseUrl: 'http://api.test', apiKey: 'k', fetch: async () => answers.shift()! });
    await expect(transport.call('DELETE /api/destinations/{id}', { path: { id: 'x' } })).resolves.toBeUndefined();
    await expect(transport.call('GET /api/destinations/{id}', { path: { id: 'x' } })).rejects.toEqual(expect.any(NotFoundError));
  });

  it('reports an unreachable API and a timeout as NetworkError', async () => {
    const down = new Transport({
      baseUrl: 'http://api.test',
      apiKey: 'k',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    await expect(down.call('GET /api/managed-streams', {})).rejects.toMatchObject({ status: 0, code: 'network_error' });

    jest.useFakeTimers();
    const silent = new Transport({
      baseUrl: 'http://api.test',
      apiKey: 'k',
      timeoutMs: 5000,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) =>
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    });
    const pending = silent.call('GET /api/managed-streams', {});
    const outcome = expect(pending).rejects.toEqual(expect.any(NetworkError));
    await jest.advanceTimersByTimeAsync(5000);
    await outcome;
    await expect(pending).rejects.toMatchObject({ code: 'timeout' });
  });
});
