import { isPublishingState } from '../cloudflare/cloudflare-live-status';
import type { DestinationStatus, StreamStatus } from '../stream-records/stream-status';
import { isEnded } from '../stream-records/stream-status';

/** Cloudflare's code-less rejection: connected, but it never makes a live video of the stream. */
export const NO_VIDEO_ERROR = 'ERR_NO_VIDEO';

/** What Cloudflare last told us about a live input, as stored on its stream. */
export interface CloudflareMediaFacts {
  cloudflareState: string | null;
  cloudflareConnectedAt: Date | null;
  cloudflareVideoAt: Date | null;
}

/** Media reaches Cloudflare: the input is connected and its live video was seen during this connection. */
export function mediaFlowing(facts: Pick<CloudflareMediaFacts, 'cloudflareState' | 'cloudflareVideoAt'>): boolean {
  return isPublishingState(facts.cloudflareState) && facts.cloudflareVideoAt !== null;
}

/**
 * A destination carried by a Cloudflare output broadcasts exactly while media flows into the live
 * input; a disabled one is stopped; one Cloudflare refused keeps its error until it is edited or
 * re-enabled. Null: leave the status as it is.
 */
export function cloudflareDestinationStatus(
  flowing: boolean,
  destination: { enabled: boolean; cloudflareOutputId: string | null; status: DestinationStatus },
): DestinationStatus | null {
  let wanted: DestinationStatus;
  if (!destination.enabled) wanted = 'stopped';
  else if (destination.status === 'failed') return null;
  else wanted = flowing && destination.cloudflareOutputId ? 'broadcasting' : 'idle';
  return wanted === destination.status ? null : wanted;
}

export interface NoVideoFacts extends CloudflareMediaFacts {
  strategy: 'relay' | 'cloudflare' | 'hybrid';
  status: StreamStatus;
}

/**
 * Cloudflare's silent rejection: the glasses are connected now, have been for longer than the limit
 * (measured from the current connection), and no live video came of it. A disconnect is not one.
 */
export function noVideoRejection(row: NoVideoFacts, now: Date, limitMs: number): { errorCode: string; message: string } | null {
  if (row.strategy !== 'cloudflare' || isEnded(row.status)) return null;
  if (!isPublishingState(row.cloudflareState) || !row.cloudflareConnectedAt || row.cloudflareVideoAt) return null;
  const connectedMs = now.getTime() - row.cloudflareConnectedAt.getTime();
  if (connectedMs < limitMs) return null;
  return { errorCode: NO_VIDEO_ERROR, message: `connected for ${Math.round(connectedMs / 1000)} s without live video` };
}
