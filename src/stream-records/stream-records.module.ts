import { Module } from '@nestjs/common';
import { ManagedStreamsRepository } from './managed-streams.repository';
import { StreamEventBus } from './stream-event-bus';
import { StreamEventsRepository } from './stream-events.repository';

/** A stream's rows and its event log: what every feature reads and records, below the use cases. */
@Module({
  providers: [ManagedStreamsRepository, StreamEventsRepository, StreamEventBus],
  exports: [ManagedStreamsRepository, StreamEventsRepository, StreamEventBus],
})
export class StreamRecordsModule {}
