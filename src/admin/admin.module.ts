import { Module } from '@nestjs/common';
import { AppsModule } from '../apps/apps.module';
import { DestinationsModule } from '../destinations/destinations.module';
import { QueuesModule } from '../queues/queues.module';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { StreamHistoryModule } from '../stream-history/stream-history.module';
import { StreamRecordsModule } from '../stream-records/stream-records.module';
import { StreamsModule } from '../streams/streams.module';
import { AdminAppsController } from './apps/admin-apps.controller';
import { AdminAuthController } from './auth/admin-auth.controller';
import { AdminAuthService } from './auth/admin-auth.service';
import { AdminSessionGuard } from './auth/admin-session.guard';
import { AdminSessionsStore } from './auth/admin-sessions.store';
import { LoginAttemptsStore } from './auth/login-attempts.store';
import { AdminDestinationsController } from './destinations/admin-destinations.controller';
import { AdminDestinationsService } from './destinations/admin-destinations.service';
import { TestConnectionService } from './destinations/test-connection.service';
import { ProbeHostResolver } from './probe/probe-host-resolver';
import { RtmpProbe } from './probe/rtmp-probe';
import { AdminRelaysController } from './relays/admin-relays.controller';
import { AdminRelaysService } from './relays/admin-relays.service';
import { AdminEventStreamer } from './streams/admin-event-streamer';
import { AdminStreamHistoryService } from './streams/admin-stream-history.service';
import { AdminStreamsController } from './streams/admin-streams.controller';
import { AdminStreamsRepository } from './streams/admin-streams.repository';
import { AdminStreamsService } from './streams/admin-streams.service';
import { AdminWebMounts } from './web/admin-web.mounts';

/** The operators' dashboard: sign-in, the admin API, bull-board and the built UI, all under /admin. */
@Module({
  imports: [
    QueuesModule,
    AppsModule,
    DestinationsModule,
    StreamRecordsModule,
    StreamsModule,
    RelayFleetModule,
    StreamHistoryModule,
  ],
  controllers: [
    AdminAuthController,
    AdminAppsController,
    AdminDestinationsController,
    AdminStreamsController,
    AdminRelaysController,
  ],
  providers: [
    AdminSessionsStore,
    LoginAttemptsStore,
    AdminAuthService,
    AdminSessionGuard,
    AdminDestinationsService,
    ProbeHostResolver,
    RtmpProbe,
    TestConnectionService,
    AdminStreamsRepository,
    AdminStreamsService,
    AdminEventStreamer,
    AdminStreamHistoryService,
    AdminRelaysService,
    AdminWebMounts,
  ],
})
export class AdminModule {}
