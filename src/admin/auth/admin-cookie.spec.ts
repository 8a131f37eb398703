import { isSameOriginRequest, needsCsrfToken, readCookie, sessionCookieOptions } from './admin-cookie';

describe('readCookie', () => {
  it('finds one cookie among others, decoded', () => {
    expect(readCookie('a=1; restream_admin=abc%2Dd; b=2', 'restream_admin')).toBe('abc-d');
    expect(readCookie('restream_admin="quoted"', 'restream_admin')).toBe('quoted');
  });

  it('is null when absent or malformed', () => {
    expect(readCookie(undefined, 'restream_admin')).toBeNull();
    expect(readCookie('x_restream_admin=1; other', 'restream_admin')).toBeNull();
    expect(readCookie('restream_admin=%E0%A4%A', 'restream_admin')).toBeNull();
  });
});

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Strict, scoped to /admin, Secure only over HTTPS', () => {
    expect(sessionCookieOptions(false, 60)).toEqual({
      httpOnly: true,
      sameSite: 'strict',
      path: '/admin',
      secure: false,
      maxAge: 60_000,
    });
    expect(sessionCookieOptions(true).secure).toBe(true);
  });

  it.each([
    ['GET', false],
    ['head', false],
    ['OPTIONS', false],
    ['POST', true],
    ['patch', true],
    ['DELETE', true],
    ['PUT', true],
  ])('%s needs a CSRF token: %s', (method, expected) => expect(needsCsrfToken(method)).toBe(expected));
});

describe('isSameOriginRequest', () => {
  const own = 'https://restream.example.com';
  it.each([
    [{ 'sec-fetch-site': 'same-origin' }, true],
    [{ 'sec-fetch-site': 'same-site', origin: own }, false],
    [{ 'sec-fetch-site': 'cross-site' }, false],
    [{ origin: own }, true],
    [{ origin: 'https://evil.example.com' }, false],
    [{}, false],
  ])('%j → %s', (headers, expected) => expect(isSameOriginRequest(headers, own)).toBe(expected));
});
