import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { openSse } from '../support/sse-reader';
import { hashPassword } from '../../src/admin/auth/admin-password';

export const ADMIN_PASSWORD = 'correct horse battery staple';

/** Config overrides that turn the dashboard on (cheap scrypt parameters: tests sign in often). */
export async function adminOverrides(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD_HASH: await hashPassword(ADMIN_PASSWORD, { N: 1024, r: 8, p: 1 }),
    ...extra,
  };
}

/** The `restream_admin=...` pair from a login response, ready for a Cookie header. */
export function sessionCookie(response: request.Response): string {
  const header = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const cookie = header.find((line) => line.startsWith('restream_admin='));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(header)}`);
  return cookie.split(';')[0];
}

/** A signed-in dashboard: the session cookie and CSRF token on every request, as the UI sends them. */
export async function signIn(app: NestExpressApplication, forwardedFor = '198.51.100.1') {
  const server = app.getHttpServer();
  const login = await request(server)
    .post('/admin/api/login')
    .set('X-Forwarded-For', forwardedFor)
    .send({ username: 'admin', password: ADMIN_PASSWORD });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${JSON.stringify(login.body)}`);
  const cookie = sessionCookie(login);
  const csrfToken = login.body.csrfToken as string;
  const withSession = (test: request.Test) => test.set('Cookie', cookie).set('x-csrf-token', csrfToken);
  return {
    cookie,
    csrfToken,
    get: (path: string) => request(server).get(path).set('Cookie', cookie),
    post: (path: string, body?: object) => withSession(request(server).post(path)).send(body),
    patch: (path: string, body: object) => withSession(request(server).patch(path)).send(body),
    delete: (path: string) => withSession(request(server).delete(path)),
  };
}

export type { SseEvent } from '../support/sse-reader';

/** The dashboard's live feed over a real socket, with the session cookie as a browser sends it. */
export function openAdminEvents(baseUrl: string, cookie: string) {
  return openSse(`${baseUrl}/admin/api/events`, { Cookie: cookie });
}
