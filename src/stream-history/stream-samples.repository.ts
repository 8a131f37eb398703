import { Injectable } from '@nestjs/common';
import { ingestGradeSchema } from '../../relay/protocol/relay-protocol.schemas';
import { PrismaService } from '../database/prisma.service';
import type { NewStreamSample, PruneCutoffs, StoredStreamSample, StreamSampleValues } from './stream-samples';

/** A stream's chart samples: written from relay reports, read by the dashboard, pruned by the maintenance scan. */
@Injectable()
export class StreamSamplesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** At most one row per stream and slot, race-free: a second report in the same slot is a no-op. */
  async record(sample: NewStreamSample): Promise<boolean> {
    const created = await this.prisma.streamSample.createMany({ data: [sample], skipDuplicates: true });
    return created.count === 1;
  }

  async between(streamId: string, from: Date, to: Date): Promise<StoredStreamSample[]> {
    const rows = await this.prisma.streamSample.findMany({
      where: { streamId, at: { gte: from, lte: to } },
      orderBy: { slot: 'asc' },
      omit: { streamId: true, slot: true },
    });
    return rows.map((row) => ({ ...row, ingestGrade: gradeOf(row.ingestGrade) }));
  }

  /** Returns how many rows went. */
  async prune(cutoffs: PruneCutoffs): Promise<number> {
    const deleted = await this.prisma.streamSample.deleteMany({
      where: {
        OR: [
          { at: { lt: cutoffs.liveBefore }, stream: { endedAt: null } },
          // Every sample of such a stream is older than its end: the `at` bound lets the index narrow the scan.
          { at: { lt: cutoffs.endedBefore }, stream: { endedAt: { lt: cutoffs.endedBefore } } },
        ],
      },
    });
    return deleted.count;
  }
}

function gradeOf(value: string | null): StreamSampleValues['ingestGrade'] {
  const parsed = ingestGradeSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
