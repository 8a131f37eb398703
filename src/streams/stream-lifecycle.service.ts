import { Injectable } from '@nestjs/common';
import { StreamLifecycleProducer } from '../queues/stream-lifecycle.producer';
import { StrategyRegistry } from '../strategies/strategy-registry';
import { strategyView } from '../strategies/stream-strategy';
import type { StreamRow } from '../stream-records/managed-streams.repository';
import { StreamTransitions } from '../stream-records/stream-transitions';

/** Ends streams: on their carrier first, then in the records (StreamTransitions). */
@Injectable()
export class StreamLifecycleService {
  constructor(
    private readonly transitions: StreamTransitions,
    private readonly strategies: StrategyRegistry,
    private readonly producer: StreamLifecycleProducer,
  ) {}

  /** Stops the stream on its carrier; the carrier may confirm later (then a job finalises it). */
  async stop(row: StreamRow, reason: string): Promise<StreamRow> {
    if (row.status === 'stopped' || row.status === 'stopping') return row;
    const outcome = await this.strategies.get(row.strategy).stop(strategyView(row));
    const updated = await this.transitions.transition({ streamId: row.id, to: outcome, reason });
    if (outcome === 'stopping') await this.producer.scheduleFinalizeStop(row.id);
    return updated ?? row;
  }
}
