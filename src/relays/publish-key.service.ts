import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { hmacSha256, safeEqual, sha256Hex } from '../common/crypto/secret-hash';

/**
 * The key the glasses publish with. Derived from a server secret and the stream id (256 bits),
 * so every app that joins a stream gets the same ingest URL while the database keeps only a hash.
 */
@Injectable()
export class PublishKeyService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  keyFor(streamId: string): string {
    return `pk_${hmacSha256(this.config.PUBLISH_KEY_SECRET, `publish:${streamId}`).toString('base64url')}`;
  }

  /** The URL the glasses publish to on a relay: the stream's ingest URL with its key. */
  publishUrl(ingestBaseUrl: string, streamId: string): string {
    return `${ingestBaseUrl}?key=${this.keyFor(streamId)}`;
  }

  hash(key: string): string {
    return sha256Hex(key);
  }

  matches(presentedKey: string, storedHash: string | null): boolean {
    if (!storedHash || presentedKey.length === 0 || presentedKey.length > 200) return false;
    return safeEqual(sha256Hex(presentedKey), storedHash);
  }
}
