import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import { randomUUID } from 'node:crypto';
import { rejectedValueReason } from './database-errors';
import { DomainError, FieldIssue, InvalidInputError } from './errors';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  issues?: FieldIssue[];
  errorId?: string;
  [extra: string]: unknown;
}

function zodIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/** Errors from body-parser and other http-errors users carry a status and `expose` for 4xx. */
function clientHttpError(exception: unknown): ErrorBody | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const { status, expose, message } = exception as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500 || expose !== true) return null;
  return {
    statusCode: status,
    error: HttpStatus[status] ?? 'Error',
    message: typeof message === 'string' ? message : 'Bad request',
  };
}

/** One place that turns every failure into a JSON error; 5xx carry an id that is also logged. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  protected toBody(exception: unknown): ErrorBody {
    if (exception instanceof ZodValidationException) {
      const zodError = exception.getZodError();
      const issues = zodError instanceof ZodError ? zodIssues(zodError) : [];
      return {
        statusCode: 400,
        error: 'Bad Request',
        message: `Invalid request: ${issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ')}`,
        issues,
      };
    }
    if (exception instanceof DomainError) {
      return {
        statusCode: exception.status,
        error: exception.code,
        message: exception.message,
        ...(exception instanceof InvalidInputError ? { issues: exception.issues } : {}),
        ...exception.details,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message =
        typeof payload === 'string'
          ? payload
          : typeof payload === 'object' && payload !== null && 'message' in payload
            ? String(payload.message)
            : exception.message;
      if (status >= 500) return this.internal(exception, status);
      return { statusCode: status, error: HttpStatus[status] ?? 'Error', message: this.describe(status, message) };
    }
    const clientError = clientHttpError(exception);
    if (clientError) return { ...clientError, message: this.describe(clientError.statusCode, clientError.message) };
    // A last line behind validation: a value Postgres cannot store is the request's fault.
    const rejected = rejectedValueReason(exception);
    if (rejected)
      return { statusCode: 400, error: 'Bad Request', message: `A value in the request cannot be stored: ${rejected}` };
    return this.internal(exception, 500);
  }

  private describe(status: number, message: string): string {
    if (status === 413) return 'Request body is too large';
    if (status === 400 && /JSON/i.test(message)) return `Malformed JSON body: ${message}`;
    return message;
  }

  private internal(exception: unknown, status: number): ErrorBody {
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId }, 'Unhandled error');
    return { statusCode: status, error: 'Internal Server Error', message: 'Something went wrong on our side', errorId };
  }
}
