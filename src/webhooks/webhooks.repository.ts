import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { StreamEvent } from '../generated/prisma/client';
import type { AttachmentView } from './webhook-recipients';

export const WEBHOOK_CURSOR = 'app-webhooks';

export interface NewDelivery {
  id: string;
  eventId: bigint;
  appId: string;
}

export interface DeliveryWork {
  id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  event: StreamEvent;
  app: { id: string; webhookUrl: string | null; webhookSecretCipher: string | null };
}

export interface AttemptRecord {
  statusCode: number | null;
  error: string | null;
  at: Date;
}

/** Deterministic, so a dispatcher that runs twice over the same event creates one delivery. */
export function deliveryId(eventId: bigint, appId: string): string {
  return `${eventId}-${appId}`;
}

/** The webhook outbox: the event log cursor, delivery rows and their outcomes. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly prisma: PrismaService) {}

  async cursor(): Promise<bigint> {
    const row = await this.prisma.eventCursor.findUnique({ where: { name: WEBHOOK_CURSOR } });
    return row?.position ?? 0n;
  }

  eventsAfter(position: bigint, limit: number): Promise<StreamEvent[]> {
    return this.prisma.streamEvent.findMany({ where: { id: { gt: position } }, orderBy: { id: 'asc' }, take: limit });
  }

  async attachmentsOf(streamIds: readonly string[]): Promise<Map<string, AttachmentView[]>> {
    const rows = await this.prisma.streamAttachment.findMany({
      where: { streamId: { in: [...streamIds] } },
      select: { streamId: true, appId: true, attachedAt: true, detachedAt: true },
    });
    const byStream = new Map<string, AttachmentView[]>();
    for (const row of rows) byStream.set(row.streamId, [...(byStream.get(row.streamId) ?? []), row]);
    return byStream;
  }

  async appsWithWebhooks(appIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.prisma.app.findMany({
      where: { id: { in: [...appIds] }, webhookUrl: { not: null } },
      select: { id: true },
    });
    return new Set(rows.map((row) => row.id));
  }

  /** Creates the deliveries and moves the cursor together: a crash in between loses nothing. */
  async recordDispatch(deliveries: readonly NewDelivery[], position: bigint): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      if (deliveries.length > 0) await tx.webhookDelivery.createMany({ data: [...deliveries], skipDuplicates: true });
      // GREATEST: an overlapping dispatcher that read an older cursor never moves it back.
      await tx.$executeRaw`
        INSERT INTO "EventCursor" ("name", "position", "updatedAt") VALUES (${WEBHOOK_CURSOR}, ${position}, now())
        ON CONFLICT ("name") DO UPDATE SET "position" = GREATEST("EventCursor"."position", EXCLUDED."position"), "updatedAt" = now()`;
    });
  }

  async pendingNotEnqueued(limit: number): Promise<string[]> {
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { status: 'pending', enqueuedAt: null },
      select: { id: true },
      orderBy: { eventId: 'asc' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  async markEnqueued(ids: readonly string[], at: Date): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({ where: { id: { in: [...ids] } }, data: { enqueuedAt: at } });
  }

  async findWork(id: string): Promise<DeliveryWork | null> {
    const row = await this.prisma.webhookDelivery.findUnique({
      where: { id },
      select: {
        id: true,
        status: true,
        attempts: true,
        eventId: true,
        app: { select: { id: true, webhookUrl: true, webhookSecretCipher: true } },
      },
    });
    if (!row) return null;
    const event = await this.prisma.streamEvent.findUnique({ where: { id: row.eventId } });
    if (!event) return null;
    return { id: row.id, status: row.status, attempts: row.attempts, event, app: row.app };
  }

  /** Only a pending delivery changes: a duplicate job cannot undo a recorded outcome. */
  async recordAttempt(id: string, outcome: 'pending' | 'delivered' | 'failed', attempt: AttemptRecord): Promise<boolean> {
    const result = await this.prisma.webhookDelivery.updateMany({
      where: { id, status: 'pending' },
      data: {
        status: outcome,
        attempts: { increment: 1 },
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error,
        ...(outcome === 'delivered' ? { deliveredAt: attempt.at } : {}),
      },
    });
    return result.count > 0;
  }

  /** Closes a delivery that cannot be attempted at all (no webhook any more, refused host). */
  async fail(id: string, error: string): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({
      where: { id, status: 'pending' },
      data: { status: 'failed', lastError: error },
    });
  }

  /** Settled deliveries last touched before `before`; pending ones are kept whatever their age. */
  async deleteSettledBefore(before: Date): Promise<number> {
    const result = await this.prisma.webhookDelivery.deleteMany({
      where: { status: { in: ['delivered', 'failed'] }, updatedAt: { lt: before } },
    });
    return result.count;
  }
}
