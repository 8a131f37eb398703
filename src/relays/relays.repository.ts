import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Relay } from '../generated/prisma/client';
import { LIVE_STREAM_STATUSES, type StreamStatus } from '../stream-records/stream-status';

export type RelayRecord = Relay;

@Injectable()
export class RelaysRepository {
  constructor(private readonly prisma: PrismaService) {}

  async upsert(relay: {
    id: string;
    rtmpUrl: string;
    hlsBaseUrl: string;
    region: string | null;
    capacity: number;
    lastHeartbeatAt: Date | null;
  }): Promise<RelayRecord> {
    const { id, ...fields } = relay;
    return this.prisma.relay.upsert({
      where: { id },
      create: { id, ...fields, state: 'active' },
      update: { ...fields, state: 'active' },
    });
  }

  async findById(id: string): Promise<RelayRecord | null> {
    return this.prisma.relay.findUnique({ where: { id } });
  }

  async recordHeartbeat(
    id: string,
    data: { load: number; capacity?: number; state?: 'active' | 'draining'; at: Date },
  ): Promise<RelayRecord | null> {
    const result = await this.prisma.relay.updateMany({
      where: { id },
      data: {
        load: data.load,
        lastHeartbeatAt: data.at,
        ...(data.capacity !== undefined ? { capacity: data.capacity } : {}),
        ...(data.state !== undefined ? { state: data.state } : {}),
      },
    });
    if (result.count === 0) return null;
    // A heartbeat is proof of life: a relay the health job took offline comes back into assignment.
    if (data.state === undefined)
      await this.prisma.relay.updateMany({ where: { id, state: 'offline' }, data: { state: 'active' } });
    return this.findById(id);
  }

  async list(): Promise<RelayRecord[]> {
    return this.prisma.relay.findMany({ orderBy: { id: 'asc' } });
  }

  /** How many live streams each relay has been given. */
  async assignedLiveCounts(): Promise<Map<string, number>> {
    const rows = await this.prisma.managedStream.groupBy({
      by: ['relayId'],
      where: { relayId: { not: null }, status: { in: [...LIVE_STREAM_STATUSES] } },
      _count: { _all: true },
    });
    return new Map(rows.filter((row) => row.relayId !== null).map((row) => [row.relayId as string, row._count._all]));
  }

  /** Out of assignment for new streams; an offline relay stays offline (it has no agent to drain). */
  async markDraining(id: string): Promise<RelayRecord | null> {
    await this.prisma.relay.updateMany({ where: { id, state: 'active' }, data: { state: 'draining' } });
    return this.findById(id);
  }

  /** Takes a relay out of assignment unless it heartbeated since `lastSeen` (a race with the health job). */
  async markOffline(id: string, lastSeen: Date | null): Promise<boolean> {
    const result = await this.prisma.relay.updateMany({
      where: { id, state: { not: 'offline' }, lastHeartbeatAt: lastSeen },
      data: { state: 'offline' },
    });
    return result.count > 0;
  }

  /** Streams carried by a relay that are in one of the given statuses and unchanged since `notUpdatedSince`. */
  async streamIdsOnRelay(relayId: string, statuses: readonly StreamStatus[], notUpdatedSince: Date): Promise<string[]> {
    const rows = await this.prisma.managedStream.findMany({
      where: { relayId, status: { in: [...statuses] }, updatedAt: { lte: notUpdatedSince } },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((row) => row.id);
  }
}
