import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken, getSharedConfigToken } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { Queue, type QueueOptions } from 'bullmq';
import type { Express, NextFunction, Request, Response } from 'express';
import path from 'node:path';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config.schema';
import { QUEUES } from '../../queues/queues';
import { AdminAuthService } from '../auth/admin-auth.service';
import { adminSessionMiddleware } from './admin-session.middleware';
import { adminUiMiddleware } from './admin-ui.middleware';
import { projectRoot } from './project-root';

export const BULL_BOARD_PATH = '/admin/queues';

/** The dashboard's Jobs page frames the board; nobody else may. */
function sameOriginFramesOnly(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('X-Frame-Options', 'SAMEORIGIN');
  next();
}

/**
 * Mounts what Nest does not route itself: bull-board (behind the admin session) and the built
 * dashboard. Runs after the controllers are registered, so /admin/api routes win.
 */
@Injectable()
export class AdminWebMounts implements OnModuleInit, OnModuleDestroy {
  private readonly ownQueues: Queue[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly auth: AdminAuthService,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<Express>();
    app.use(BULL_BOARD_PATH, sameOriginFramesOnly, adminSessionMiddleware(this.auth), this.bullBoardRouter());
    app.use('/admin', adminUiMiddleware(this.uiDir()));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.ownQueues.map((queue) => queue.close()));
  }

  uiDir(): string {
    return this.config.ADMIN_UI_DIR ?? path.join(projectRoot(), 'dist', 'admin-ui');
  }

  /** Every queue named in QUEUES, so a queue added there appears on the board. */
  private bullBoardRouter(): Express {
    const serverAdapter = new ExpressAdapter().setBasePath(BULL_BOARD_PATH);
    const queues = Object.values(QUEUES).map((name) => new BullMQAdapter(this.queueNamed(name)));
    createBullBoard({
      queues,
      // @bull-board/express 9.10.1 pins its own @bull-board/api 9.10.1 beside our 9.10.2: the same
      // adapter contract, but TypeScript sees two declarations of its private fields.
      serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
      options: { uiConfig: { boardTitle: 'Restream queues' } },
    });
    return serverAdapter.getRouter() as Express;
  }

  private queueNamed(name: string): Queue {
    try {
      return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
    } catch {
      // Named in QUEUES but registered by no module (yet): watch it with the shared BullMQ settings.
      const queue = new Queue(name, this.moduleRef.get<QueueOptions>(getSharedConfigToken(), { strict: false }));
      this.ownQueues.push(queue);
      return queue;
    }
  }
}
