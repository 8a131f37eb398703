import { redactDestination, summariseFailure } from './redact';

describe('redactDestination', () => {
  it('removes the full URL and the bare key from FFmpeg output', () => {
    const url = 'rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl';
    expect(redactDestination(`[rtmp @ 0x1] Cannot open ${url}: Connection refused`, url)).toBe(
      '[rtmp @ 0x1] Cannot open rtmp://a.rtmp.youtube.com/live2/****: Connection refused',
    );
    expect(redactDestination('playpath abcd-efgh-ijkl not found', url)).toBe('playpath **** not found');
  });
});

describe('summariseFailure', () => {
  it('picks the line that says what went wrong', () => {
    expect(
      summariseFailure(
        ['Input #0, flv', '[tcp @ 0x55] Connection to tcp://1.2.3.4:1935 failed: Connection refused', 'Exiting'],
        'x',
      ),
    ).toBe('Connection to tcp://1.2.3.4:1935 failed: Connection refused');
    expect(summariseFailure([], 'the connection ended')).toBe('the connection ended');
  });
});
