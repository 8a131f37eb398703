import { findHostileString, stringProblem } from './hostile-input';

describe('hostile strings', () => {
  it('finds NUL bytes and unpaired surrogates, and lets everything else through', () => {
    expect(stringProblem('a\u0000b')).toBe('a NUL byte');
    expect(stringProblem('\ud800')).toBe('an unpaired UTF-16 surrogate');
    expect(stringProblem('x\udfffy')).toBe('an unpaired UTF-16 surrogate');
    expect(stringProblem('\udc00\ud800')).toBe('an unpaired UTF-16 surrogate');
    for (const fine of ['', 'glasses@example.com', '\ud83d\ude00 emoji', 'é\u202e', '\u0001\u007f', '%00']) {
      expect([fine, stringProblem(fine)]).toEqual([fine, null]);
    }
  });

  it('names where the string is: path, query, body field (deeply, keys too) or header', () => {
    expect(findHostileString({ params: { streamId: '\u0000' } })).toEqual({
      where: 'path parameter "streamId"',
      problem: 'a NUL byte',
    });
    expect(findHostileString({ query: { userId: ['ok', 'a\u0000'] } })?.where).toBe('query parameter "userId.1"');
    expect(findHostileString({ body: { restreamDestinations: [{ url: 'rtmp://x/\ud800' }] } })).toEqual({
      where: 'body field "restreamDestinations.0.url"',
      problem: 'an unpaired UTF-16 surrogate',
    });
    expect(findHostileString({ body: { slate: { '\u0000': 1 } } })?.where).toBe('a key in body field "slate"');
    expect(findHostileString({ body: { '\u0000': 1 } })?.where).toBe('a key in the body');
    expect(findHostileString({ headers: { 'last-event-id': '1\u0000' } })?.where).toBe('header "last-event-id"');
  });

  it('reads only the headers the service uses, and passes a clean request', () => {
    expect(findHostileString({ headers: { 'user-agent': '\u0000' } })).toBeNull();
    expect(
      findHostileString({
        params: { streamId: 'ms_1' },
        query: { limit: '5' },
        body: { userId: 'u', enabled: true, count: 3, nothing: null, list: [] },
        headers: { authorization: 'Bearer k', cookie: 'restream_admin=abc' },
      }),
    ).toBeNull();
  });

  it('walks a body nested far deeper than the stack allows, and names a short path', () => {
    let body: unknown = '\u0000';
    for (let depth = 0; depth < 200_000; depth++) body = { a: body };
    const found = findHostileString({ body });
    expect(found?.problem).toBe('a NUL byte');
    expect(found?.where).toMatch(/^body field "a\.a\.a.*…"$/);
    expect(found?.where.length).toBeLessThan(250);
  });
});
