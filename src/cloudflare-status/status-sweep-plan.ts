import { BUDGET_WINDOW_MS } from '../cloudflare/cloudflare-api-budget';
import { LIVE_VIDEO_PAGE_SIZE } from '../cloudflare/cloudflare-stream.client';

/** Share of the background budget the account-wide live-video listing may use; per-input gets take the rest. */
export const LISTING_SHARE = 0.6;

export interface ListingPlanInput {
  liveStreams: number;
  backgroundLimit: number;
  tickMs: number;
  now: number;
  lastListingAt: number | null;
  /** Calls the listing may still make in the window (the whole budget less what is used). */
  listingRoom: number;
  /** Until the oldest call in the window ages out and gives room back. */
  msUntilRoomFrees: number;
}

/**
 * How often to list every live video of the account: as often as the budget allows for the number
 * of pages the live streams need, never more than once per tick. 1,000 streams: every tick;
 * 10,000: every ~7 s with the default budget.
 */
export function listingIntervalMs(liveStreams: number, backgroundLimit: number, tickMs: number): number {
  const pages = listingPages(liveStreams);
  return Math.max(tickMs, (BUDGET_WINDOW_MS * pages) / (backgroundLimit * LISTING_SHARE));
}

export function listingPages(liveStreams: number): number {
  return Math.max(1, Math.ceil(liveStreams / LIVE_VIDEO_PAGE_SIZE));
}

/**
 * Due when the interval has passed and the budget has room for every page. When room is scarce
 * the listings left are spread until calls age out of the window, so there is always one to come
 * (spending them at once would leave every stream's status frozen for the rest of the window).
 */
export function listingDue(input: ListingPlanInput): boolean {
  if (input.liveStreams === 0) return false;
  const pages = listingPages(input.liveStreams);
  if (input.listingRoom < pages) return false;
  if (input.lastListingAt === null) return true;
  const paced = (Math.max(0, input.msUntilRoomFrees) * pages) / input.listingRoom;
  const interval = Math.max(listingIntervalMs(input.liveStreams, input.backgroundLimit, input.tickMs), paced);
  return input.now - input.lastListingAt >= interval;
}

/** Calls one tick may make: the budget's steady rate, and never more than is left in the window. */
export function tickAllowance(backgroundLimit: number, backgroundRoom: number, tickMs: number): number {
  return Math.max(0, Math.min(backgroundRoom, Math.ceil((backgroundLimit * tickMs) / BUDGET_WINDOW_MS)));
}

export interface GetCandidate {
  id: string;
  strategy: 'relay' | 'cloudflare' | 'hybrid';
  cloudflareStateAt: Date | null;
}

/**
 * Which live inputs to ask about one by one: first those whose live video just vanished (did the
 * glasses leave, or stay connected without video?), then Cloudflare-strategy streams whose state
 * is oldest, once older than half the target age. Hybrid streams' status comes from our relay.
 */
export function pickInputsToGet(
  candidates: readonly GetCandidate[],
  urgent: ReadonlySet<string>,
  options: { now: number; allowance: number; targetAgeMs: number },
): string[] {
  if (options.allowance <= 0) return [];
  const picked = candidates.filter((c) => urgent.has(c.id)).map((c) => c.id);
  const stale = candidates
    .filter((c) => !urgent.has(c.id) && c.strategy === 'cloudflare')
    .filter((c) => c.cloudflareStateAt === null || options.now - c.cloudflareStateAt.getTime() >= options.targetAgeMs / 2)
    .sort((a, b) => (a.cloudflareStateAt?.getTime() ?? 0) - (b.cloudflareStateAt?.getTime() ?? 0))
    .map((c) => c.id);
  return [...picked, ...stale].slice(0, options.allowance);
}
