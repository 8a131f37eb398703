import { Inject, Injectable, Logger } from '@nestjs/common';
import { CloudflareCallError } from '../cloudflare/cloudflare-errors';
import type { RelayRecord } from '../relays/relays.repository';
import { Clock } from '../common/clock';
import { ServiceUnavailableError } from '../common/errors';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { RelayStrategy } from '../strategies/relay.strategy';
import { StrategyRegistry } from '../strategies/strategy-registry';
import { DestinationProvisionResults } from '../strategies/destination-provision-results';
import { ManagedStreamsRepository, StreamPatch, StreamRow } from '../stream-records/managed-streams.repository';
import { type ProvisionResult, type StrategyDestination, strategyView } from '../strategies/stream-strategy';
import { StreamTransitions } from '../stream-records/stream-transitions';

export const WAITING_FOR_GLASSES = 'waiting for the glasses to publish';

/**
 * Provisions a stream already stored as `initializing` on its chosen carrier. When Cloudflare
 * fails (timeouts, 5xx, 429, auth, a rejection), the stream goes to the relay, reason recorded.
 */
@Injectable()
export class StreamProvisioner {
  private readonly logger = new Logger(StreamProvisioner.name);

  constructor(
    private readonly strategies: StrategyRegistry,
    private readonly relay: RelayStrategy,
    private readonly transitions: StreamTransitions,
    private readonly destinationResults: DestinationProvisionResults,
    private readonly streams: ManagedStreamsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** `relay`: the relay already picked for this stream, if any (see StrategyRegistry.choose). */
  async provision(row: StreamRow, destinations: readonly StrategyDestination[], relay?: RelayRecord): Promise<StreamRow> {
    try {
      const provisioned = await this.provisionWithFallback(row, destinations, relay);
      const { destinations: results, ...fields } = provisioned.result;
      const ready =
        (await this.transitions.transition({
          streamId: row.id,
          to: 'connecting',
          reason: WAITING_FOR_GLASSES,
          patch: { ...fields, ...provisioned.patch },
        })) ?? row;
      if (!results) return ready;
      // The destinations as stored by applyAll, without reading the stream back once more.
      const stored = new Map((await this.destinationResults.applyAll(row.id, row.destinations, results)).map((d) => [d.id, d]));
      return { ...ready, destinations: ready.destinations.map((d) => stored.get(d.id) ?? d) };
    } catch (failure) {
      // A failed fallback records what was tried, so the stopped row does not claim the first carrier.
      const { error, patch } = failure instanceof FallbackFailed ? failure : { error: failure, patch: {} };
      const reason = error instanceof Error ? error.message : 'provisioning failed';
      await this.transitions.transition({ streamId: row.id, to: 'stopped', reason: `provisioning failed: ${reason}`, patch });
      throw error;
    }
  }

  /** Recent rejections of this user's glasses by Cloudflare steer auto towards hybrid. */
  async recentCloudflareError(userId: string): Promise<string | null> {
    if (!this.config.CLOUDFLARE_API_TOKEN) return null;
    return this.streams.recentCloudflareError(userId, new Date(this.clock.now().getTime() - 24 * 3600 * 1000));
  }

  private async provisionWithFallback(
    row: StreamRow,
    destinations: readonly StrategyDestination[],
    relay: RelayRecord | undefined,
  ): Promise<{ result: ProvisionResult; patch: StreamPatch }> {
    try {
      return { result: await this.strategies.get(row.strategy).provision(strategyView(row), destinations, relay), patch: {} };
    } catch (error) {
      if (!(error instanceof CloudflareCallError) || row.strategy === 'relay') throw error;
      const strategyReason = `${row.strategy} failed at provisioning (${error.message}); fell back to relay`;
      this.logger.warn(
        { streamId: row.id, kind: error.kind, status: error.status },
        'Cloudflare provisioning failed; using the relay',
      );
      try {
        return { result: await this.relay.provision(strategyView(row), [], relay), patch: { strategy: 'relay', strategyReason } };
      } catch (relayError) {
        const why = relayError instanceof Error ? relayError.message : 'the relay failed';
        const patch: StreamPatch = { strategy: 'relay', strategyReason: `${strategyReason}, which failed too (${why})` };
        // Still the 503 of a full relay fleet, saying that Cloudflare was tried first.
        const answer =
          relayError instanceof ServiceUnavailableError
            ? new ServiceUnavailableError(`Cloudflare could not take the stream (${error.message}) and ${lowerFirst(why)}`)
            : relayError;
        throw new FallbackFailed(answer, patch);
      }
    }
  }
}

/** The relay fallback failed too: the error to answer with and what the stopped row should say. */
class FallbackFailed extends Error {
  constructor(
    readonly error: unknown,
    readonly patch: StreamPatch,
  ) {
    super('the relay fallback failed too');
  }
}

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);
