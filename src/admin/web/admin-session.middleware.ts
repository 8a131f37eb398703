import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '../../common/errors';
import { isSameOriginRequest } from '../auth/admin-cookie';
import { AdminAuthService } from '../auth/admin-auth.service';
import { sessionClaims } from '../auth/admin-session.guard';

function wantsHtml(request: Request): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
}

/**
 * The admin session for Express handlers Nest does not route (bull-board): a browser without a
 * session is sent to the sign-in page and back; other clients get the usual JSON error.
 */
export function adminSessionMiddleware(auth: AdminAuthService): RequestHandler {
  return (request: Request, response: Response, next: NextFunction): void => {
    const ownOrigin = `${request.protocol}://${request.get('host') ?? ''}`;
    const claims = {
      ...sessionClaims(request),
      sameOriginProof: isSameOriginRequest(
        { 'sec-fetch-site': request.get('sec-fetch-site'), origin: request.get('origin') },
        ownOrigin,
      ),
    };
    auth.authenticate(claims).then(
      () => next(),
      (error: unknown) => {
        if (!(error instanceof DomainError)) return next(error);
        if (error.status === 401 && wantsHtml(request)) {
          response.redirect(302, `/admin/login?next=${encodeURIComponent(request.originalUrl)}`);
          return;
        }
        response
          .status(error.status)
          .json({ statusCode: error.status, error: error.code, code: error.code, message: error.message });
      },
    );
  };
}
