import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { NotFoundError } from '../../common/errors';
import { historyWindow } from '../../stream-history/stream-samples';
import { StreamSamplesRepository } from '../../stream-history/stream-samples.repository';
import { AdminStreamHistory, adminStreamHistoryView } from './admin-stream-history.schemas';
import { AdminStreamsRepository } from './admin-streams.repository';

/** A stream's figures over time, for the stream page's charts. */
@Injectable()
export class AdminStreamHistoryService {
  constructor(
    private readonly streams: AdminStreamsRepository,
    private readonly samples: StreamSamplesRepository,
    private readonly clock: Clock,
  ) {}

  async history(streamId: string, minutes: number): Promise<AdminStreamHistory> {
    const stream = await this.streams.findEnd(streamId);
    if (!stream) throw new NotFoundError(`No stream "${streamId}"`);
    const window = historyWindow(this.clock.now(), stream.endedAt, minutes);
    return adminStreamHistoryView(streamId, window, await this.samples.between(streamId, window.from, window.to));
  }
}
