import {
  AlreadyStreamingError,
  ApiError,
  errorFromResponse,
  InvalidUrlError,
  NotFoundError,
  RateLimitedError,
  RestreamError,
  UnauthorizedError,
  ValidationError,
} from './errors.js';

const noHeaders = new Headers();

describe('errorFromResponse', () => {
  it('maps 409 already_streaming with the live stream id', () => {
    const error = errorFromResponse(
      409,
      { statusCode: 409, error: 'already_streaming', message: 'This app already has a live stream', streamId: 'str_1' },
      noHeaders,
    );
    expect(error).toBeInstanceOf(AlreadyStreamingError);
    expect(error).toBeInstanceOf(RestreamError);
    expect(error).toMatchObject({
      status: 409,
      code: 'already_streaming',
      message: 'This app already has a live stream',
      details: { streamId: 'str_1' },
    });
    expect((error as AlreadyStreamingError).streamId).toBe('str_1');
  });

  it('maps invalid_url (422) and a 400 about url/streamKey fields to InvalidUrlError', () => {
    const issues = [{ path: 'restreamDestinations.0.url', message: 'only rtmp:// and rtmps:// URLs are accepted' }];
    const byCode = errorFromResponse(422, { statusCode: 422, error: 'invalid_url', message: 'bad', issues }, noHeaders);
    expect(byCode).toBeInstanceOf(InvalidUrlError);
    expect(byCode.issues).toEqual(issues);
    const byField = errorFromResponse(
      400,
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Invalid request',
        issues: [{ path: 'restreamDestinations.0.streamKey', message: 'too short' }],
      },
      noHeaders,
    );
    expect(byField).toBeInstanceOf(InvalidUrlError);
  });

  it('maps other refused bodies to ValidationError', () => {
    const error = errorFromResponse(
      400,
      { statusCode: 400, error: 'Bad Request', message: 'x', issues: [{ path: 'userId', message: 'empty' }] },
      noHeaders,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(errorFromResponse(422, { statusCode: 422, error: 'invalid_input', message: 'duplicate' }, noHeaders)).toBeInstanceOf(
      ValidationError,
    );
  });

  it('maps 401 and 404', () => {
    expect(
      errorFromResponse(401, { statusCode: 401, error: 'unauthorized', message: 'Invalid API key' }, noHeaders),
    ).toBeInstanceOf(UnauthorizedError);
    expect(errorFromResponse(404, { statusCode: 404, error: 'not_found', message: 'No stream' }, noHeaders)).toBeInstanceOf(
      NotFoundError,
    );
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const seconds = errorFromResponse(
      429,
      { statusCode: 429, error: 'rate_limited', message: 'slow down' },
      new Headers({ 'Retry-After': '17' }),
    );
    expect(seconds).toBeInstanceOf(RateLimitedError);
    expect((seconds as RateLimitedError).retryAfterSeconds).toBe(17);
    const now = Date.UTC(2026, 10, 21, 9, 0, 0);
    const date = errorFromResponse(429, {}, new Headers({ 'Retry-After': new Date(now + 5_000).toUTCString() }), now);
    expect((date as RateLimitedError).retryAfterSeconds).toBe(5);
    expect((errorFromResponse(429, {}, noHeaders) as RateLimitedError).retryAfterSeconds).toBe(1);
  });

  it('keeps anything else generic, with the error id of a 5xx', () => {
    const error = errorFromResponse(
      500,
      { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong', errorId: 'e-1' },
      noHeaders,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, code: 'Internal Server Error', details: { errorId: 'e-1' } });
    expect(errorFromResponse(502, undefined, noHeaders)).toMatchObject({
      status: 502,
      code: 'http_502',
      message: 'The API answered 502',
    });
  });
});
