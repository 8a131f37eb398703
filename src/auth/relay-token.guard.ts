import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { UnauthorizedError } from '../common/errors';
import { safeEqual } from '../common/crypto/secret-hash';
import { bearerOrHeader } from './app-api-key.guard';

/** Relay-facing routes: only the relay fleet's shared token opens them, never an app key. */
@Injectable()
export class RelayTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const token = bearerOrHeader(request, 'x-relay-token');
    if (!token) throw new UnauthorizedError('Missing relay token');
    if (!this.config.RELAY_TOKENS.some((candidate) => safeEqual(candidate, token))) {
      throw new UnauthorizedError('Invalid relay token');
    }
    return true;
  }
}
