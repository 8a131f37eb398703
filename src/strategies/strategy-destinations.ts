import { Injectable } from '@nestjs/common';
import { EncryptionService } from '../common/crypto/encryption.service';
import { fullDestinationUrl } from '../destinations/destination-url';
import type { StrategyDestination } from './stream-strategy';
import type { DestinationRow } from '../stream-records/managed-streams.repository';

type StoredDestination = Pick<DestinationRow, 'id' | 'name' | 'url' | 'streamKeyCipher' | 'enabled'> & {
  cloudflareOutputId?: string | null;
};

/** Destination rows as a carrier needs them: with the key in clear, for the carrier only. */
@Injectable()
export class StrategyDestinations {
  constructor(private readonly encryption: EncryptionService) {}

  /** From a stored row, or one about to be stored. */
  fromRow(row: StoredDestination): StrategyDestination {
    return this.withKey(row, this.encryption.decrypt(row.streamKeyCipher, 'stream-key'));
  }

  /** From a row whose key the caller has in clear (it has just encrypted it): no decryption. */
  withKey(row: StoredDestination, streamKey: string): StrategyDestination {
    return {
      id: row.id,
      name: row.name,
      fullUrl: fullDestinationUrl(row.url, streamKey),
      ingestUrl: row.url,
      streamKey,
      enabled: row.enabled,
      cloudflareOutputId: row.cloudflareOutputId ?? null,
    };
  }
}
