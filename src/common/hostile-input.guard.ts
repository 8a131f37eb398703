import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { MalformedInputError } from './errors';
import { findHostileString } from './hostile-input';

/**
 * Global, and so first of all guards: a hostile string is refused before an API key, a session or
 * a path parameter reaches Postgres, Redis or a log. A guard, not a middleware, because only
 * after routing does Express know the path parameters.
 */
@Injectable()
export class HostileInputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const found = findHostileString({
      params: request.params,
      query: request.query,
      body: request.body,
      headers: request.headers,
    });
    if (found) {
      const message = `${found.where} contains ${found.problem}`;
      throw new MalformedInputError(`Invalid request: ${message}`, { issues: [{ path: found.where, message }] });
    }
    return true;
  }
}
