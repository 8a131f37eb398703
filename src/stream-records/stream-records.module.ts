import { Module } from '@nestjs/common';
import { QueuesModule } from '../queues/queues.module';
import { DestinationStatusRecorder } from './destination-status.recorder';
import { ManagedStreamsRepository } from './managed-streams.repository';
import { StreamEventBus } from './stream-event-bus';
import { StreamEventsRepository } from './stream-events.repository';
import { StreamTransitions } from './stream-transitions';

/** A stream's rows and its event log: what every feature reads and records, below the use cases. */
@Module({
  imports: [QueuesModule],
  providers: [ManagedStreamsRepository, StreamEventsRepository, StreamEventBus, StreamTransitions, DestinationStatusRecorder],
  exports: [ManagedStreamsRepository, StreamEventsRepository, StreamEventBus, StreamTransitions, DestinationStatusRecorder],
})
export class StreamRecordsModule {}
