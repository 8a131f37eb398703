import http from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
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

export interface SseEvent {
  id: string;
  event: string;
  data: { type: string; streamId: string; status: string | null; destinationId: string | null; reason: string | null };
}

/** The dashboard's live feed over a real socket, with the session cookie as a browser sends it. */
export function openAdminEvents(baseUrl: string, cookie: string) {
  const events: SseEvent[] = [];
  let raw = '';
  let buffer = '';
  let status = 0;
  const req = http.get(`${baseUrl}/admin/api/events`, { headers: { Cookie: cookie, Accept: 'text/event-stream' } });
  const ready = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => line && !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
          );
          if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
      });
      resolve();
    });
    req.on('error', reject);
  });
  return {
    events,
    ready,
    raw: () => raw,
    status: () => status,
    close: () => req.destroy(),
    async waitFor(predicate: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`No matching event; got ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
