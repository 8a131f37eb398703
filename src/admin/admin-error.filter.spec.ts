import { withErrorCode } from './admin-error.filter';

describe('withErrorCode', () => {
  it('repeats a machine code from `error`, and derives one from an HTTP status name', () => {
    expect(withErrorCode({ statusCode: 403, error: 'csrf_failed', message: 'm' })).toEqual({
      statusCode: 403,
      error: 'csrf_failed',
      code: 'csrf_failed',
      message: 'm',
    });
    expect(withErrorCode({ statusCode: 400, error: 'Bad Request', message: 'm' }).code).toBe('bad_request');
    expect(withErrorCode({ statusCode: 500, error: 'Internal Server Error', message: 'm' }).code).toBe('internal_server_error');
  });

  it('keeps a code the error already names', () => {
    expect(withErrorCode({ statusCode: 409, error: 'conflict', code: 'not_attached', message: 'm' }).code).toBe('not_attached');
  });
});
