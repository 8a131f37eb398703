import { Module } from '@nestjs/common';
import { StreamSamplesRepository } from './stream-samples.repository';

/** Samples of each stream's figures over time, for the dashboard's charts. */
@Module({
  providers: [StreamSamplesRepository],
  exports: [StreamSamplesRepository],
})
export class StreamHistoryModule {}
