import { ArgumentsHost, Catch } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorBody, HttpErrorFilter } from '../common/http-error.filter';
import { LoginRateLimitedError } from './admin-errors';

/** Pure: the admin API's error body also names its machine-readable `code` (snake_case). */
export function withErrorCode(body: ErrorBody): ErrorBody {
  if (typeof body.code === 'string') return body;
  const code = /^[a-z][a-z0-9_]*$/.test(body.error) ? body.error : body.error.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return { ...body, code };
}

/** The service's error bodies, plus `code` and, for a throttled sign-in, Retry-After. */
@Catch()
export class AdminErrorFilter extends HttpErrorFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = withErrorCode(this.toBody(exception));
    if (response.headersSent) {
      response.end();
      return;
    }
    if (exception instanceof LoginRateLimitedError) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    response.status(body.statusCode).json(body);
  }
}
