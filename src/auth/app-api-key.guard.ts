import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request, Response } from 'express';
import { UnauthorizedError } from '../common/errors';
import { AppsService } from '../apps/apps.service';
import type { AppRecord } from '../apps/apps.repository';
import { AppRateLimiter } from '../rate-limit/app-rate-limiter';

type RequestWithApp = Request & { app?: unknown; authenticatedApp?: AppRecord };

export function bearerOrHeader(request: Request, header: string): string | undefined {
  const direct = request.headers[header];
  if (typeof direct === 'string' && direct.length > 0) return direct;
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  return undefined;
}

/** SDK-facing routes: the caller is an app, identified by its API key. */
@Injectable()
export class AppApiKeyGuard implements CanActivate {
  constructor(
    private readonly apps: AppsService,
    private readonly rateLimit: AppRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithApp>();
    const apiKey = bearerOrHeader(request, 'x-api-key');
    if (!apiKey) throw new UnauthorizedError('Missing API key: send it as "Authorization: Bearer <key>" or "x-api-key"');
    const app = await this.apps.authenticate(apiKey);
    if (!app) throw new UnauthorizedError('Invalid API key');
    request.authenticatedApp = app;
    await this.rateLimit.enforce(app.id, context.switchToHttp().getResponse<Response>());
    return true;
  }
}

export const CurrentApp = createParamDecorator((_data: unknown, context: ExecutionContext): AppRecord => {
  const app = context.switchToHttp().getRequest<RequestWithApp>().authenticatedApp;
  if (!app) throw new UnauthorizedError('Not authenticated');
  return app;
});
