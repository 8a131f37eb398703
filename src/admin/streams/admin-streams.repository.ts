import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import { StreamRow, streamWithDestinations } from '../../stream-records/managed-streams.repository';
import type { StreamEventMessage } from '../../stream-records/stream-events';
import { toEventMessage } from '../../stream-records/stream-events.repository';
import { LIVE_STREAM_STATUSES } from '../../stream-records/stream-status';
import type { LiveStatsRow } from './live-stats';

/** Reads across every app and stream, which only the dashboard does. */
@Injectable()
export class AdminStreamsRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(filter: { liveOnly: boolean; limit: number }): Promise<StreamRow[]> {
    return this.prisma.managedStream.findMany({
      where: filter.liveOnly ? { status: { in: [...LIVE_STREAM_STATUSES] } } : {},
      include: streamWithDestinations,
      orderBy: { createdAt: 'desc' },
      take: filter.limit,
    });
  }

  findById(id: string): Promise<StreamRow | null> {
    return this.prisma.managedStream.findUnique({ where: { id }, include: streamWithDestinations });
  }

  findEnd(id: string): Promise<{ endedAt: Date | null } | null> {
    return this.prisma.managedStream.findUnique({ where: { id }, select: { endedAt: true } });
  }

  /** The stats of every live stream, in one light query (the dashboard's feed polls it). */
  liveStats(): Promise<LiveStatsRow[]> {
    return this.prisma.managedStream.findMany({
      where: { status: { in: [...LIVE_STREAM_STATUSES] } },
      select: {
        id: true,
        startedAt: true,
        endedAt: true,
        bitrateKbps: true,
        fps: true,
        droppedFrames: true,
        viewers: true,
        statsUpdatedAt: true,
      },
    });
  }

  /** A page of a stream's history strictly before `beforeId` (or the latest), oldest first. */
  async eventsBefore(
    streamId: string,
    beforeId: bigint | null,
    limit: number,
  ): Promise<{ events: StreamEventMessage[]; hasMore: boolean }> {
    const rows = await this.prisma.streamEvent.findMany({
      where: { streamId, ...(beforeId !== null ? { id: { lt: beforeId } } : {}) },
      orderBy: { id: 'desc' },
      take: limit + 1,
    });
    return { events: rows.slice(0, limit).reverse().map(toEventMessage), hasMore: rows.length > limit };
  }

  /** Every stream's events after `afterId`, oldest first (an SSE client catching up). */
  async eventsAfter(afterId: bigint, limit: number): Promise<StreamEventMessage[]> {
    const rows = await this.prisma.streamEvent.findMany({ where: { id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
    return rows.map(toEventMessage);
  }
}
