import { Injectable, Logger } from '@nestjs/common';
import { CloudflareCarrier } from '../strategies/cloudflare-carrier';
import { CloudflareStreamClient } from '../cloudflare/cloudflare-stream.client';
import { Clock } from '../common/clock';
import { isEnded } from '../stream-records/stream-status';
import { CloudflareStreamsRepository } from './cloudflare-streams.repository';

const SERVICE_TAG = 'glasses-restream';
/** A live input this young may belong to a stream still being provisioned. */
const GRACE_MS = 2 * 60_000;

interface OurMeta {
  service: string;
  streamId: string;
}

function ourMeta(meta: unknown): OurMeta | null {
  if (!meta || typeof meta !== 'object') return null;
  const { service, streamId } = meta as Record<string, unknown>;
  return service === SERVICE_TAG && typeof streamId === 'string' ? { service, streamId } : null;
}

/**
 * Nothing is left behind on Cloudflare: any live input we created (recognised by its meta) whose
 * stream has ended, vanished or moved to another input is deleted, even after a crash in between.
 */
@Injectable()
export class CloudflareOrphanSweeper {
  private readonly logger = new Logger(CloudflareOrphanSweeper.name);

  constructor(
    private readonly client: CloudflareStreamClient,
    private readonly carrier: CloudflareCarrier,
    private readonly cloudflareStreams: CloudflareStreamsRepository,
    private readonly clock: Clock,
  ) {}

  async sweep(): Promise<{ inspected: number; deleted: string[] }> {
    const inputs = (await this.client.listLiveInputs())
      .map((input) => ({ ...input, ours: ourMeta(input.meta) }))
      .filter((input) => input.ours !== null);
    const streams = await this.cloudflareStreams.findByIds(inputs.map((input) => (input.ours as OurMeta).streamId));
    const byId = new Map(streams.map((stream) => [stream.id, stream]));
    const now = this.clock.now().getTime();
    const deleted: string[] = [];
    for (const input of inputs) {
      const stream = byId.get((input.ours as OurMeta).streamId);
      const created = input.created ? Date.parse(input.created) : 0;
      const young = now - created < GRACE_MS;
      const orphan =
        !stream || isEnded(stream.status) || (stream.cloudflareLiveInputId !== input.uid && stream.status !== 'initializing');
      if (!orphan || (young && stream && !isEnded(stream.status))) continue;
      await this.carrier.deleteLiveInput(input.uid);
      deleted.push(input.uid);
    }
    if (deleted.length > 0) this.logger.log({ deleted: deleted.length }, 'Deleted orphaned Cloudflare live inputs');
    return { inspected: inputs.length, deleted };
  }
}
