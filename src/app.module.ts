import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ZodValidationPipe } from 'nestjs-zod';
import { AdminModule } from './admin/admin.module';
import { AppsModule } from './apps/apps.module';
import { CloudflareStatusModule } from './cloudflare-status/cloudflare-status.module';
import { CommonModule } from './common/common.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { loggerParams } from './common/logging';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/config.schema';
import { DatabaseModule } from './database/database.module';
import { DestinationsModule } from './destinations/destinations.module';
import { HealthModule } from './health/health.module';
import { WorkerModule } from './jobs/worker.module';
import { MetricsModule } from './metrics/metrics.module';
import { RecordingsModule } from './recordings/recordings.module';
import { RedisModule } from './redis/redis.module';
import { RelayApiModule } from './relay-api/relay-api.module';
import { StreamsModule } from './streams/streams.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logDestination?: NodeJS.WritableStream): DynamicModule {
    const runsWorker = config.PROCESS_ROLE === 'all' || config.PROCESS_ROLE === 'worker';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, logDestination)),
        CommonModule,
        DatabaseModule,
        RedisModule,
        AppsModule,
        DestinationsModule,
        StreamsModule,
        RelayApiModule,
        RecordingsModule,
        CloudflareStatusModule,
        HealthModule,
        MetricsModule,
        ...(runsWorker ? [WorkerModule] : []),
        RateLimitModule,
        AdminModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
