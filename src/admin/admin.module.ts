import { Module } from '@nestjs/common';
import { QueuesModule } from '../jobs/queues.module';
import { AdminAuthController } from './auth/admin-auth.controller';
import { AdminAuthService } from './auth/admin-auth.service';
import { AdminSessionGuard } from './auth/admin-session.guard';
import { AdminSessionsStore } from './auth/admin-sessions.store';
import { LoginAttemptsStore } from './auth/login-attempts.store';
import { AdminWebMounts } from './web/admin-web.mounts';

/** The operators' dashboard: sign-in, the admin API, bull-board and the built UI, all under /admin. */
@Module({
  imports: [QueuesModule],
  controllers: [AdminAuthController],
  providers: [AdminSessionsStore, LoginAttemptsStore, AdminAuthService, AdminSessionGuard, AdminWebMounts],
})
export class AdminModule {}
