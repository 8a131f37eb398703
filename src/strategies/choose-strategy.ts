import type { RequestedStrategy, StrategyName } from './stream-strategy';

export interface StrategyChoiceInput {
  requested: RequestedStrategy;
  /** Strategies that are configured and healthy right now. */
  available: ReadonlySet<StrategyName>;
}

export interface StrategyChoice {
  strategy: StrategyName;
  /** Why the choice differs from what was asked, or how 'auto' resolved. */
  reason: string | null;
}

/** Cloudflare first when it can carry the stream; the relay is always the fallback. */
export function chooseStrategy({ requested, available }: StrategyChoiceInput): StrategyChoice {
  if (requested === 'auto') {
    if (available.has('cloudflare')) return { strategy: 'cloudflare', reason: 'auto: Cloudflare is available' };
    return { strategy: 'relay', reason: 'auto: Cloudflare is not configured or not healthy' };
  }
  if (available.has(requested)) return { strategy: requested, reason: null };
  return { strategy: 'relay', reason: `${requested} requested but not available; fell back to relay` };
}
