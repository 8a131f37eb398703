import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppsService } from '../../src/apps/apps.service';
import { PrismaService } from '../../src/database/prisma.service';

/** Polls until `probe` returns something truthy (jobs run on their own schedule). */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface Receipt {
  eventId: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: {
    id: string;
    type: string;
    streamId: string;
    destinationId: string | null;
    status: string | null;
    reason: string | null;
  };
  answered: number;
  /** Date.now() when the request arrived. */
  at: number;
}

/** A real HTTP server standing in for an app's webhook endpoint; `answer` picks each response status. */
export async function startWebhookReceiver(
  answer: (receipt: Omit<Receipt, 'answered' | 'at'>, previousForEvent: number) => number = () => 200,
) {
  const receipts: Receipt[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const partial = {
        eventId: String(request.headers['x-restream-event-id']),
        headers: request.headers,
        rawBody,
        body: JSON.parse(rawBody),
      };
      const status = answer(partial, receipts.filter((r) => r.eventId === partial.eventId).length);
      receipts.push({ ...partial, answered: status, at: Date.now() });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    receipts,
    succeeded: () => receipts.filter((r) => r.answered >= 200 && r.answered < 300),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An app whose webhook points at `url`; the secret is what AppsService shows once. */
export async function createWebhookApp(app: NestExpressApplication, name: string, url: string) {
  const created = await app
    .get(AppsService)
    .create({ name, packageName: `com.example.${name.toLowerCase().replace(/\W+/g, '')}`, webhookUrl: url });
  return { id: created.app.id, apiKey: created.apiKey, secret: created.webhookSecret as string };
}

export function prismaOf(app: NestExpressApplication): PrismaService {
  return app.get(PrismaService);
}

/** The stream's status events (what each repair must record exactly once). */
export async function statusEvents(app: NestExpressApplication, streamId: string) {
  return prismaOf(app).streamEvent.findMany({ where: { streamId, type: 'stream.status' }, orderBy: { id: 'asc' } });
}
