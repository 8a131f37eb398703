import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma, StreamEvent } from '../generated/prisma/client';
import type { NewStreamEvent, StreamEventMessage, StreamEventType } from './stream-events';

type Db = Pick<PrismaService, 'streamEvent'> | Prisma.TransactionClient;

export function toEventMessage(row: StreamEvent): StreamEventMessage {
  const data = (row.data ?? null) as Record<string, unknown> | null;
  const { appId, ...rest } = data ?? {};
  return {
    id: row.id.toString(),
    streamId: row.streamId,
    destinationId: row.destinationId,
    appId: typeof appId === 'string' ? appId : null,
    type: row.type as StreamEventType,
    status: row.status,
    reason: row.reason,
    data: data ? rest : null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** An event's columns but its stream (for appending, or creating it nested under its stream). */
export function eventColumns(event: NewStreamEvent) {
  return {
    destinationId: event.destinationId ?? null,
    type: event.type,
    status: event.status ?? null,
    reason: event.reason ?? null,
    data: event.appId || event.data ? { ...(event.data ?? {}), ...(event.appId ? { appId: event.appId } : {}) } : undefined,
  } satisfies Omit<Prisma.StreamEventUncheckedCreateInput, 'streamId'>;
}

@Injectable()
export class StreamEventsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Appends inside the caller's transaction when one is given. */
  async append(events: readonly NewStreamEvent[], db: Db = this.prisma): Promise<StreamEventMessage[]> {
    const rows = await Promise.all(
      events.map((event) => db.streamEvent.create({ data: { streamId: event.streamId, ...eventColumns(event) } })),
    );
    return rows.map(toEventMessage);
  }

  async listAfter(streamId: string, afterId: bigint, limit = 500): Promise<StreamEventMessage[]> {
    const rows = await this.prisma.streamEvent.findMany({
      where: { streamId, id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map(toEventMessage);
  }
}
