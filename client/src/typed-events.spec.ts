import { isIngestHealthEvent } from './typed-events.js';
import type { StreamEvent } from './generated/api.js';

const event = (type: StreamEvent['type'], data: StreamEvent['data']): StreamEvent => ({
  id: '7',
  streamId: 's',
  destinationId: null,
  appId: null,
  type,
  status: 'poor',
  reason: '3.5 pictures a second',
  data,
  createdAt: '2026-12-02T18:00:00.000Z',
});

describe('isIngestHealthEvent', () => {
  it('narrows uplink grade changes, with their figures', () => {
    const grade = event('stream.ingest_health', { fpsMean: 3.5, fpsMin: 3, bitrateKbps: 400, gaps: 0 });
    expect(isIngestHealthEvent(grade)).toBe(true);
    if (isIngestHealthEvent(grade)) expect(grade.data.fpsMean).toBe(3.5);
    expect(isIngestHealthEvent(event('stream.status', null))).toBe(false);
  });
});
