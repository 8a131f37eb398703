import type { StreamEventMessage, StreamEventType } from '../stream-records/stream-events';

/** Status changes are what apps are told about; attach/detach bookkeeping stays on SSE. */
export const WEBHOOK_EVENT_TYPES: readonly StreamEventType[] = [
  'stream.status',
  'destination.status',
  'stream.playback',
  'stream.ingest_health',
];

export interface AttachmentView {
  appId: string;
  attachedAt: Date;
  detachedAt: Date | null;
}

const ENDING_STATUSES = new Set(['stopping', 'stopped']);

/**
 * Which apps an event concerns. A destination event goes to the destination's app only. A stream
 * event goes to the apps attached when it happened; the stream's end also goes to the last app(s)
 * to leave, since their leaving is what stopped it.
 */
export function webhookRecipients(
  event: Pick<StreamEventMessage, 'type' | 'status' | 'appId' | 'createdAt'>,
  attachments: readonly AttachmentView[],
): string[] {
  if (!WEBHOOK_EVENT_TYPES.includes(event.type)) return [];
  if (event.type === 'destination.status') return event.appId ? [event.appId] : [];
  const at = new Date(event.createdAt).getTime();
  const attached = attachments.filter(
    (a) => a.attachedAt.getTime() <= at && (a.detachedAt === null || a.detachedAt.getTime() > at),
  );
  if (attached.length > 0 || !ENDING_STATUSES.has(event.status ?? '')) return unique(attached.map((a) => a.appId));
  const lastLeft = Math.max(...attachments.map((a) => a.detachedAt?.getTime() ?? 0));
  return unique(attachments.filter((a) => a.detachedAt?.getTime() === lastLeft).map((a) => a.appId));
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

export interface EventPosition {
  id: bigint;
  createdAt: Date;
}

/**
 * How far the dispatcher may move its cursor. Ids come from a sequence: a transaction can commit
 * a higher id before a lower one becomes visible, so a gap is only skipped once the event after it
 * is older than `settleMs` (by then the missing id was rolled back). Events past a young gap are
 * read again next time; their deliveries are deduplicated.
 */
export function advanceCursor(cursor: bigint, events: readonly EventPosition[], now: Date, settleMs: number): bigint {
  let position = cursor;
  for (const event of events) {
    if (event.id <= position) continue;
    if (event.id !== position + 1n && now.getTime() - event.createdAt.getTime() <= settleMs) break;
    position = event.id;
  }
  return position;
}
