import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Relay } from '../generated/prisma/client';
import { LIVE_STREAM_STATUSES } from '../streams/stream-status';

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
    return result.count === 0 ? null : this.findById(id);
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
}
