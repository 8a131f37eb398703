import type { ExecutionContext } from '@nestjs/common';
import { MalformedInputError } from './errors';
import { HostileInputGuard } from './hostile-input.guard';
import { HttpErrorFilter } from './http-error.filter';

function httpContext(request: object): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

class VisibleFilter extends HttpErrorFilter {
  bodyOf(exception: unknown) {
    return this.toBody(exception);
  }
}

describe('HostileInputGuard', () => {
  const guard = new HostileInputGuard();

  it('lets a clean request through', () => {
    expect(guard.canActivate(httpContext({ params: { streamId: 'ms_1' }, query: {}, body: {}, headers: {} }))).toBe(true);
  });

  it('refuses a NUL in a path parameter with a 400 that says where', () => {
    const request = { params: { streamId: '\u0000' }, query: {}, headers: {} };
    let thrown: unknown;
    try {
      guard.canActivate(httpContext(request));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MalformedInputError);
    expect(new VisibleFilter().bodyOf(thrown)).toEqual({
      statusCode: 400,
      error: 'malformed_input',
      message: 'Invalid request: path parameter "streamId" contains a NUL byte',
      issues: [{ path: 'path parameter "streamId"', message: 'path parameter "streamId" contains a NUL byte' }],
    });
  });

  it('does not look at non-HTTP contexts', () => {
    expect(guard.canActivate({ getType: () => 'rpc' } as unknown as ExecutionContext)).toBe(true);
  });
});
