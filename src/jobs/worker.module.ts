import { Module } from '@nestjs/common';
import { StreamsModule } from '../streams/streams.module';
import { StreamLifecycleProcessor } from './stream-lifecycle.processor';

/** Job processing; loaded when this process runs the worker role. */
@Module({ imports: [StreamsModule], providers: [StreamLifecycleProcessor] })
export class WorkerModule {}
