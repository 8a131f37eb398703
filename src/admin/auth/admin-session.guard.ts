import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ADMIN_SESSION_COOKIE, CSRF_HEADER, readCookie } from './admin-cookie';
import { AdminAuthService, type SessionClaims } from './admin-auth.service';
import type { AdminSession } from './admin-sessions.store';

export interface AdminRequest extends Request {
  adminSession?: AdminSession;
  adminSessionId?: string;
}

/** Reads what a request says about its session: the cookie and the CSRF header. */
export function sessionClaims(request: Request): SessionClaims {
  const header = request.headers[CSRF_HEADER];
  return {
    sessionId: readCookie(request.headers.cookie, ADMIN_SESSION_COOKIE),
    method: request.method,
    csrfToken: typeof header === 'string' ? header : undefined,
  };
}

/** Every admin API route but sign-in: a live session, and its CSRF token on changes. */
@Injectable()
export class AdminSessionGuard implements CanActivate {
  constructor(private readonly auth: AdminAuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const claims = sessionClaims(request);
    request.adminSession = await this.auth.authenticate(claims);
    request.adminSessionId = claims.sessionId ?? undefined;
    return true;
  }
}

export const CurrentAdmin = createParamDecorator((_data: unknown, context: ExecutionContext): AdminSession => {
  const session = context.switchToHttp().getRequest<AdminRequest>().adminSession;
  if (!session) throw new Error('CurrentAdmin used on a route without AdminSessionGuard');
  return session;
});
