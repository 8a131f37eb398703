import type { CookieOptions } from 'express';

export const ADMIN_SESSION_COOKIE = 'restream_admin';
export const CSRF_HEADER = 'x-csrf-token';

/** Pure: one cookie's value from a Cookie header, or null (no dependency for one name). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value.replace(/^"(.*)"$/, '$1'));
    } catch {
      return null;
    }
  }
  return null;
}

/** The session cookie's attributes: script-proof, same-site only, scoped to the dashboard. */
export function sessionCookieOptions(secure: boolean, ttlSeconds?: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: '/admin',
    secure,
    ...(ttlSeconds !== undefined ? { maxAge: ttlSeconds * 1000 } : {}),
  };
}

/** CSRF applies to every request that can change something. */
export function needsCsrfToken(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/**
 * Pure: whether the browser says the request comes from our own pages. Bull-board's own UI
 * cannot send the CSRF header, so under /admin/queues this (with the SameSite=Strict cookie)
 * is the CSRF proof: Sec-Fetch-Site from modern browsers, else an Origin equal to our own.
 */
export function isSameOriginRequest(headers: { 'sec-fetch-site'?: string; origin?: string }, ownOrigin: string): boolean {
  if (headers['sec-fetch-site'] !== undefined) return headers['sec-fetch-site'] === 'same-origin';
  return headers.origin !== undefined && headers.origin === ownOrigin;
}
