import { Injectable } from '@nestjs/common';
import type { RelayRecordingReport } from '../../relay/protocol/relay-protocol.schemas';
import { PrismaService } from '../database/prisma.service';
import type { Recording } from '../generated/prisma/client';

export type RecordingRow = Recording;

@Injectable()
export class RecordingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The relay's report is the fact; a row asked to be deleted stays asked. */
  async upsertReport(relayId: string, report: RelayRecordingReport): Promise<void> {
    const fields = {
      status: report.status,
      path: report.file,
      startedAt: new Date(report.startedAt),
      endedAt: report.endedAt ? new Date(report.endedAt) : null,
      durationSeconds: report.durationSeconds,
      sizeBytes: BigInt(report.sizeBytes),
      error: report.error ?? null,
    };
    await this.prisma.recording.upsert({
      where: { id: report.id },
      create: { id: report.id, streamId: report.streamId, relayId, ...fields },
      update: fields,
    });
  }

  listForStream(streamId: string): Promise<RecordingRow[]> {
    return this.prisma.recording.findMany({
      where: { streamId, deleteRequestedAt: null },
      orderBy: { startedAt: 'asc' },
    });
  }

  findForStream(streamId: string, id: string): Promise<RecordingRow | null> {
    return this.prisma.recording.findFirst({ where: { id, streamId, deleteRequestedAt: null } });
  }

  async requestDeletion(where: { id: string } | { startedBefore: Date }, at: Date): Promise<number> {
    // A recording still being written is not expired, unless its relay stopped reporting it long ago.
    const filter =
      'id' in where
        ? { id: where.id }
        : {
            startedAt: { lt: where.startedBefore },
            OR: [{ status: { not: 'recording' } }, { updatedAt: { lt: where.startedBefore } }],
          };
    const { count } = await this.prisma.recording.updateMany({
      where: { ...filter, deleteRequestedAt: null },
      data: { deleteRequestedAt: at },
    });
    return count;
  }

  pendingDeletions(relayId: string): Promise<{ id: string; path: string }[]> {
    return this.prisma.recording.findMany({
      where: { relayId, deleteRequestedAt: { not: null } },
      select: { id: true, path: true },
      take: 1000,
    });
  }

  /** Only rows asked to be deleted go: a relay cannot drop a recording on its own. */
  async deleteConfirmed(relayId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.recording.deleteMany({ where: { relayId, id: { in: [...ids] }, deleteRequestedAt: { not: null } } });
  }
}
