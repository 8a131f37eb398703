import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { MetricsRegistry } from './metrics.registry';

/** Counts requests by route pattern (never the concrete path: ids would explode the label set). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MetricsRegistry) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const route = (request.route as { path?: string } | undefined)?.path ?? 'unknown';
    const stopTimer = this.metrics.httpDuration.startTimer({ method: request.method, route });
    response.once('finish', () => {
      stopTimer();
      this.metrics.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
    });
    return next.handle();
  }
}
