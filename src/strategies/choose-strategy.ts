import type { RequestedStrategy, StrategyName } from './stream-strategy';

export interface StrategyChoiceInput {
  requested: RequestedStrategy;
  cloudflare: {
    configured: boolean;
    /** False while the circuit breaker is open; `reason` says why. */
    healthy: boolean;
    unhealthyReason?: string | null;
  };
  relayAvailable: boolean;
  /**
   * The Cloudflare ingest error of this user's recent stream, if one was moved off Cloudflare
   * (their glasses' stream was rejected: GOP, codec), or null.
   */
  recentCloudflareError: string | null;
}

export interface StrategyChoice {
  strategy: StrategyName;
  /** Why the choice differs from what was asked, or how 'auto' resolved. */
  reason: string | null;
}

/** Errors about the stream's content: the relay's clean re-encode fixes them (hybrid). */
const CONTENT_ERRORS = new Set([
  'ERR_GOP_OUT_OF_RANGE',
  'ERR_UNSUPPORTED_VIDEO_CODEC',
  'ERR_UNSUPPORTED_AUDIO_CODEC',
  'ERR_NO_VIDEO',
]);

export function isContentError(code: string | null): boolean {
  return code !== null && CONTENT_ERRORS.has(code);
}

/**
 * Cloudflare first when it can carry the stream; hybrid for glasses whose raw stream Cloudflare
 * rejected recently; the relay is always the fallback. Pure: config, health and history in.
 */
export function chooseStrategy(input: StrategyChoiceInput): StrategyChoice {
  const { requested, cloudflare, relayAvailable, recentCloudflareError } = input;
  const cloudflareUsable = cloudflare.configured && cloudflare.healthy;
  const whyNotCloudflare = !cloudflare.configured
    ? 'Cloudflare is not configured'
    : `Cloudflare is unhealthy (${cloudflare.unhealthyReason ?? 'circuit open'})`;

  if (requested === 'relay') return { strategy: 'relay', reason: null };
  if (requested === 'cloudflare') {
    if (cloudflareUsable) return { strategy: 'cloudflare', reason: null };
    return { strategy: 'relay', reason: `cloudflare requested but ${whyNotCloudflare}; fell back to relay` };
  }
  if (requested === 'hybrid') {
    if (cloudflareUsable && relayAvailable) return { strategy: 'hybrid', reason: null };
    const why = cloudflareUsable ? 'no relay is available' : whyNotCloudflare;
    return { strategy: 'relay', reason: `hybrid requested but ${why}; fell back to relay` };
  }
  if (!cloudflareUsable) return { strategy: 'relay', reason: `auto: ${whyNotCloudflare}` };
  if (recentCloudflareError === 'ERR_STORAGE_QUOTA_EXHAUSTED') {
    return { strategy: 'relay', reason: 'auto: Cloudflare storage quota was exhausted recently' };
  }
  if (isContentError(recentCloudflareError)) {
    if (relayAvailable) {
      return { strategy: 'hybrid', reason: `auto: Cloudflare rejected this user's stream recently (${recentCloudflareError})` };
    }
    return { strategy: 'relay', reason: `auto: Cloudflare rejected this user's stream recently (${recentCloudflareError})` };
  }
  return { strategy: 'cloudflare', reason: 'auto: Cloudflare is available' };
}

/** Where a live Cloudflare stream goes when Cloudflare errors on it or shows no video. */
export function fallbackTarget(errorCode: string, cloudflareHealthy: boolean): 'hybrid' | 'relay' {
  return cloudflareHealthy && isContentError(errorCode) ? 'hybrid' : 'relay';
}
