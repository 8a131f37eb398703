/// <reference types="jest" />
import { formatBitrate, formatDuration, formatReconnectWindow, loadPercent, maskedKey, uptimeSeconds } from './format';

describe('dashboard formatting', () => {
  it('formats durations as the largest useful units', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59.9)).toBe('59s');
    expect(formatDuration(61)).toBe('1m 01s');
    expect(formatDuration(3 * 3600 + 5 * 60 + 7)).toBe('3h 05m 07s');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
  });

  it('says how long the slate stays on air, or that there is none', () => {
    expect(formatReconnectWindow(90)).toBe('1m 30s with the slate on air');
    expect(formatReconnectWindow(0)).toBe('none (the stream waits without a slate)');
    expect(formatReconnectWindow(undefined)).toBe('—');
  });

  it('ticks uptime from startedAt, falling back to the server figure', () => {
    const started = '2026-11-21T10:00:00.000Z';
    expect(uptimeSeconds(started, 3, Date.parse('2026-11-21T10:01:30.000Z'))).toBe(90);
    expect(uptimeSeconds(null, 42, Date.now())).toBe(42);
    expect(uptimeSeconds('not a date', null, Date.now())).toBeNull();
  });

  it('shows bitrates in kbps or Mbps', () => {
    expect(formatBitrate(850)).toBe('850 kbps');
    expect(formatBitrate(2500)).toBe('2.5 Mbps');
    expect(formatBitrate(null)).toBe('—');
  });

  it('masks a key as dots and its last 4 characters, whatever the API put in front', () => {
    expect(maskedKey('9f3k')).toBe('••••9f3k');
    expect(maskedKey('****9f3k')).toBe('••••9f3k');
    expect(maskedKey('••••9f3k')).toBe('••••9f3k');
  });

  it('caps relay load at 100% and treats no capacity as full', () => {
    expect(loadPercent(5, 50)).toBe(10);
    expect(loadPercent(60, 50)).toBe(100);
    expect(loadPercent(0, 0)).toBe(100);
  });
});
