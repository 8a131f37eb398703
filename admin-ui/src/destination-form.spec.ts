/// <reference types="jest" />
import { checkDestination, checkIngestUrl, checkStreamKey, hasErrors } from './destination-form';

describe('destination form checks', () => {
  it('accepts the platform ingest URLs', () => {
    expect(checkIngestUrl('rtmp://a.rtmp.youtube.com/live2')).toBeUndefined();
    expect(checkIngestUrl('rtmps://a.rtmps.youtube.com:443/live2')).toBeUndefined();
    expect(checkIngestUrl('  rtmp://live.twitch.tv/app  ')).toBeUndefined();
  });

  it('explains what is wrong with a bad URL', () => {
    expect(checkIngestUrl('')).toMatch(/Enter the ingest URL/);
    expect(checkIngestUrl('http://example.com/live')).toMatch(/must start with rtmp:\/\/ or rtmps:\/\//);
    expect(checkIngestUrl('rtmp://')).toMatch(/not a valid URL|needs a host/);
    expect(checkIngestUrl('rtmp://host/a b')).toMatch(/spaces/);
  });

  it('explains what is wrong with a bad key, and lets an edit keep the old one', () => {
    expect(checkStreamKey('', true)).toMatch(/Enter the stream key/);
    expect(checkStreamKey('', false)).toBeUndefined();
    expect(checkStreamKey('abc def', true)).toMatch(/spaces/);
    expect(checkStreamKey('rtmp://a.rtmp.youtube.com/live2/abcd', true)).toMatch(/only the key/);
    expect(checkStreamKey('x'.repeat(513), true)).toMatch(/too long/);
    expect(checkStreamKey('abcd-efgh-ijkl-9f3k', true)).toBeUndefined();
  });

  it('collects the errors of a whole draft', () => {
    const errors = checkDestination({ name: ' ', ingestUrl: 'ftp://x', streamKey: '' }, { keyRequired: true });
    expect(Object.keys(errors).sort()).toEqual(['ingestUrl', 'name', 'streamKey']);
    expect(hasErrors(errors)).toBe(true);
    const fine = checkDestination(
      { name: 'YouTube', ingestUrl: 'rtmp://a.rtmp.youtube.com/live2', streamKey: 'k-1234' },
      { keyRequired: true },
    );
    expect(hasErrors(fine)).toBe(false);
  });
});
