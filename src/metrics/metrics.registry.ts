import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PrismaService } from '../database/prisma.service';

/** One registry per application instance (tests build several apps in one process). */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;

  constructor(prisma: PrismaService) {
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    new Gauge({
      name: 'managed_streams',
      help: 'Managed streams by status and strategy',
      labelNames: ['status', 'strategy'],
      registers: [this.registry],
      async collect() {
        const rows = await prisma.managedStream.groupBy({
          by: ['status', 'strategy'],
          where: { status: { not: 'stopped' } },
          _count: { _all: true },
        });
        this.reset();
        for (const row of rows) this.set({ status: row.status, strategy: row.strategy }, row._count._all);
      },
    });
    new Gauge({
      name: 'relays',
      help: 'Registered relays by state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const rows = await prisma.relay.groupBy({ by: ['state'], _count: { _all: true } });
        this.reset();
        for (const row of rows) this.set({ state: row.state }, row._count._all);
      },
    });
    new Gauge({
      name: 'webhook_deliveries',
      help: 'App webhook deliveries kept (see WEBHOOK_RETENTION_DAYS) by status',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await prisma.webhookDelivery.groupBy({ by: ['status'], _count: { _all: true } });
        this.reset();
        for (const row of rows) this.set({ status: row.status }, row._count._all);
      },
    });
  }
}
