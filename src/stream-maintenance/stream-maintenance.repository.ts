import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { LIVE_STREAM_STATUSES } from '../stream-records/stream-status';
import type { DestinationCandidate, StreamCandidate } from './stream-repairs';

const SCAN_LIMIT = 500;

/** The queries of the maintenance scan: narrow candidate sets, decided on by pure functions. */
@Injectable()
export class StreamMaintenanceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Streams mid-transition, and live streams with a duration limit. */
  async streamCandidates(): Promise<StreamCandidate[]> {
    const rows = await this.prisma.managedStream.findMany({
      where: {
        OR: [
          { status: { in: ['initializing', 'connecting', 'reconnecting', 'stopping'] } },
          { status: { in: [...LIVE_STREAM_STATUSES] }, durationLimit: { not: null }, startedAt: { not: null } },
        ],
      },
      select: {
        id: true,
        status: true,
        createdAt: true,
        updatedAt: true,
        startedAt: true,
        durationLimit: true,
        reconnectWindowSeconds: true,
        events: { where: { type: 'stream.status' }, orderBy: { id: 'desc' }, take: 1, select: { createdAt: true } },
      },
      orderBy: { createdAt: 'asc' },
      take: SCAN_LIMIT,
    });
    return rows.map(({ events, updatedAt, ...row }) => ({ ...row, statusSince: events[0]?.createdAt ?? updatedAt }));
  }

  /** Destinations that claim to be starting or broadcasting on a stream that is not active. */
  async destinationCandidates(olderThan: Date): Promise<DestinationCandidate[]> {
    const rows = await this.prisma.streamDestination.findMany({
      where: {
        status: { in: ['starting', 'broadcasting'] },
        updatedAt: { lt: olderThan },
        stream: { status: { not: 'active' } },
      },
      select: {
        id: true,
        streamId: true,
        appId: true,
        status: true,
        updatedAt: true,
        stream: { select: { status: true, reconnectWindowSeconds: true } },
      },
      take: SCAN_LIMIT,
    });
    return rows.map(({ stream, ...row }) => ({
      ...row,
      streamStatus: stream.status,
      streamReconnectWindowSeconds: stream.reconnectWindowSeconds,
    }));
  }
}
