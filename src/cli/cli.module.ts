import { DynamicModule, Module } from '@nestjs/common';
import { AppsModule } from '../apps/apps.module';
import { CommonModule } from '../common/common.module';
import { ConfigModule } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { DatabaseModule } from '../database/database.module';
import { KeyRotationService } from './key-rotation.service';

/** Just what the operator commands need: no HTTP, no queues. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), CommonModule, DatabaseModule, AppsModule],
      providers: [KeyRotationService],
    };
  }
}
