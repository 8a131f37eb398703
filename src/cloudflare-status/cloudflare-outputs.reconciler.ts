import { Injectable } from '@nestjs/common';
import { CloudflareCarrier } from '../strategies/cloudflare-carrier';
import { CloudflareStreamClient } from '../cloudflare/cloudflare-stream.client';
import { DestinationProvisionResults } from '../strategies/destination-provision-results';
import { ManagedStreamsRepository } from '../stream-records/managed-streams.repository';
import { strategyView } from '../strategies/stream-strategy';
import { isEnded } from '../stream-records/stream-status';
import { StrategyDestinations } from '../strategies/strategy-destinations';

/**
 * Makes a live input's outputs match the stream's destinations after a destination change could
 * not reach Cloudflare: creates missing ones, deletes strays, fixes `enabled`. Idempotent.
 */
@Injectable()
export class CloudflareOutputsReconciler {
  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly client: CloudflareStreamClient,
    private readonly carrier: CloudflareCarrier,
    private readonly strategyDestinations: StrategyDestinations,
    private readonly results: DestinationProvisionResults,
  ) {}

  async reconcile(streamId: string): Promise<string> {
    const row = await this.streams.findById(streamId);
    if (!row || isEnded(row.status) || !row.cloudflareLiveInputId || row.strategy === 'relay') return 'nothing to do';
    const liveInputId = row.cloudflareLiveInputId;
    const outputs = new Map((await this.client.listOutputs(liveInputId)).map((output) => [output.uid, output]));
    const attached = new Set(row.attachments.map((a) => a.appId));
    const wanted = row.destinations.filter((d) => attached.has(d.appId));
    let changes = 0;
    for (const destination of wanted) {
      const output = destination.cloudflareOutputId ? outputs.get(destination.cloudflareOutputId) : undefined;
      const view = this.strategyDestinations.fromRow(destination);
      if (!output) {
        if (!destination.enabled) continue;
        await this.results.apply(row.id, destination, await this.carrier.addOutput(strategyView(row), view));
        changes++;
      } else if (output.enabled !== destination.enabled) {
        await this.client.setOutputEnabled(liveInputId, output.uid, destination.enabled);
        changes++;
      }
    }
    const kept = new Set(wanted.map((d) => d.cloudflareOutputId).filter(Boolean));
    for (const uid of outputs.keys()) {
      if (kept.has(uid)) continue;
      await this.client.deleteOutput(liveInputId, uid);
      changes++;
    }
    return `${changes} change(s)`;
  }
}
