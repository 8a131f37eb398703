import { Injectable, Logger } from '@nestjs/common';
import { DestinationHostPolicy } from '../../destinations/destination-host-policy';
import { probeTargetOf } from '../probe/probe-target';
import { ProbeHostResolver } from '../probe/probe-host-resolver';
import { RtmpProbe } from '../probe/rtmp-probe';
import { AdminDestinationsService } from './admin-destinations.service';
import type { TestConnectionResponse } from './admin-destinations.schemas';

/** "Does this ingest answer RTMP?" for a typed URL or a saved destination, under the destination host policy. */
@Injectable()
export class TestConnectionService {
  private readonly logger = new Logger(TestConnectionService.name);

  constructor(
    private readonly destinations: AdminDestinationsService,
    private readonly hostPolicy: DestinationHostPolicy,
    private readonly resolver: ProbeHostResolver,
    private readonly probe: RtmpProbe,
  ) {}

  async test(input: { ingestUrl?: string; appId?: string; destinationId?: string }): Promise<TestConnectionResponse> {
    const ingestUrl = input.ingestUrl ?? (await this.destinations.ingestUrlOf(input.appId ?? '', input.destinationId ?? ''));
    const target = probeTargetOf(ingestUrl);
    await this.hostPolicy.assertAllowed(target.host, 'ingestUrl');
    let address: string;
    try {
      address = await this.resolver.lookup(target.host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return {
        ok: false,
        url: target.displayUrl,
        resolvedAddress: null,
        tcpConnectMs: null,
        tls: false,
        rtmpHandshake: 'failed',
        message: `could not resolve the host "${target.host}" (${code}): check the spelling`,
      };
    }
    // The name may resolve elsewhere now than when the policy looked: check what we connect to.
    await this.hostPolicy.assertAllowed(address, 'ingestUrl');
    const report = await this.probe.probe({ protocol: target.protocol, host: target.host, address, port: target.port });
    this.logger.log({ target: target.displayUrl, ok: report.ok }, 'Tested a destination connection');
    return { url: target.displayUrl, resolvedAddress: address, ...report };
  }
}
