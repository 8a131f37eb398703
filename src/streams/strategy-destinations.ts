import { Injectable } from '@nestjs/common';
import { EncryptionService } from '../common/crypto/encryption.service';
import { fullDestinationUrl } from '../destinations/destination-url';
import type { StrategyDestination } from '../strategies/stream-strategy';
import type { DestinationRow } from './managed-streams.repository';

/** Destination rows as a carrier needs them: with the key in clear, for the carrier only. */
@Injectable()
export class StrategyDestinations {
  constructor(private readonly encryption: EncryptionService) {}

  fromRow(row: DestinationRow): StrategyDestination {
    return {
      id: row.id,
      name: row.name,
      fullUrl: fullDestinationUrl(row.url, this.encryption.decrypt(row.streamKeyCipher, 'stream-key')),
      enabled: row.enabled,
      cloudflareOutputId: row.cloudflareOutputId,
    };
  }
}
