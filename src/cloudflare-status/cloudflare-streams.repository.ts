import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { LIVE_STREAM_STATUSES } from '../stream-records/stream-status';

const PUBLISHING_STATES = ['connected', 'reconnected'];
const carriedByCloudflare = {
  strategy: { in: ['cloudflare', 'hybrid'] },
  status: { in: [...LIVE_STREAM_STATUSES] },
  cloudflareLiveInputId: { not: null },
} satisfies Prisma.ManagedStreamWhereInput;
// Spelled out both ways: SQL's NOT of a comparison with NULL is not true.
const flowing = { cloudflareState: { in: PUBLISHING_STATES }, cloudflareVideoAt: { not: null } };
const notFlowing = {
  OR: [{ cloudflareState: null }, { cloudflareState: { notIn: PUBLISHING_STATES } }, { cloudflareVideoAt: null }],
};

/** Just what the status sweep reads of each live Cloudflare-carried stream. */
export interface CloudflareStreamState {
  id: string;
  status: (typeof LIVE_STREAM_STATUSES)[number];
  strategy: 'relay' | 'cloudflare' | 'hybrid';
  cloudflareLiveInputId: string;
  cloudflareState: string | null;
  cloudflareStateAt: Date | null;
  cloudflareConnectedAt: Date | null;
  cloudflareVideoAt: Date | null;
  dashUrl: string | null;
  createdAt: Date;
}

@Injectable()
export class CloudflareStreamsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async listLive(): Promise<CloudflareStreamState[]> {
    const rows = await this.prisma.managedStream.findMany({
      where: {
        strategy: { in: ['cloudflare', 'hybrid'] },
        status: { in: [...LIVE_STREAM_STATUSES] },
        cloudflareLiveInputId: { not: null },
      },
      select: {
        id: true,
        status: true,
        strategy: true,
        cloudflareLiveInputId: true,
        cloudflareState: true,
        cloudflareStateAt: true,
        cloudflareConnectedAt: true,
        cloudflareVideoAt: true,
        dashUrl: true,
        createdAt: true,
      },
    });
    return rows as CloudflareStreamState[];
  }

  findByIds(ids: readonly string[]) {
    return this.prisma.managedStream.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, status: true, cloudflareLiveInputId: true, createdAt: true },
    });
  }

  findIdByLiveInputId(liveInputId: string): Promise<{ id: string } | null> {
    return this.prisma.managedStream.findUnique({ where: { cloudflareLiveInputId: liveInputId }, select: { id: true } });
  }

  /** Cloudflare confirmed nothing changed for these streams: one statement, no events. */
  async confirm(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.managedStream.updateMany({ where: { id: { in: [...ids] } }, data: { cloudflareStateAt: at } });
  }

  /**
   * Live Cloudflare-carried streams with a destination whose status disagrees with its output
   * (see cloudflareDestinationStatus): usually none, so one cheap query per sweep.
   */
  async idsWithDestinationsOutOfStep(): Promise<string[]> {
    const rows = await this.prisma.streamDestination.findMany({
      where: {
        OR: [
          { enabled: false, status: { not: 'stopped' }, stream: carriedByCloudflare },
          {
            enabled: true,
            cloudflareOutputId: { not: null },
            status: { notIn: ['broadcasting', 'failed'] },
            stream: { ...carriedByCloudflare, ...flowing },
          },
          { enabled: true, status: 'broadcasting', stream: { ...carriedByCloudflare, ...notFlowing } },
          { enabled: true, status: 'broadcasting', cloudflareOutputId: null, stream: carriedByCloudflare },
        ],
      },
      select: { streamId: true },
      distinct: ['streamId'],
    });
    return rows.map((row) => row.streamId);
  }

  /** The stream left Cloudflare: its outputs are gone with the live input; the relay takes the destinations. */
  async clearOutputs(streamId: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.streamDestination.updateMany({ where: { streamId }, data: { cloudflareOutputId: null } }),
      this.prisma.managedStream.update({ where: { id: streamId }, data: { destinationsVersion: { increment: 1 } } }),
    ]);
  }
}
