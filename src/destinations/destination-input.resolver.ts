import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { EncryptionService } from '../common/crypto/encryption.service';
import { hmacSha256 } from '../common/crypto/secret-hash';
import { InvalidInputError } from '../common/errors';
import { Random } from '../common/random';
import type { NewDestinationRow } from '../stream-records/managed-streams.repository';
import { DestinationHostPolicy } from './destination-host-policy';
import { defaultDestinationName, fullDestinationUrl, parseDestination } from './destination-url';
import { SavedDestinationsRepository } from './saved-destinations.repository';

/** A row ready to insert, with its key still in clear for the carrier (never stored so). */
export interface ResolvedDestination {
  row: NewDestinationRow;
  streamKey: string;
}

export interface DestinationRequest {
  restreamDestinations: readonly { url: string; streamKey?: string; name?: string; enabled?: boolean }[];
  savedDestinationIds: readonly string[];
}

/**
 * Turns what a request says about destinations (URLs with keys, saved destination ids) into
 * rows ready to insert: validated, host-checked, key encrypted, fingerprinted for duplicates.
 */
@Injectable()
export class DestinationInputResolver {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly saved: SavedDestinationsRepository,
    private readonly hostPolicy: DestinationHostPolicy,
    private readonly encryption: EncryptionService,
    private readonly random: Random,
  ) {}

  fingerprint(fullUrl: string): string {
    return hmacSha256(this.config.PUBLISH_KEY_SECRET, `destination:${fullUrl}`).toString('base64url');
  }

  async resolve(
    appId: string,
    userId: string,
    request: DestinationRequest,
    paths?: { restream: string; saved: string },
  ): Promise<NewDestinationRow[]> {
    return (await this.resolveWithKeys(appId, userId, request, paths)).map(({ row }) => row);
  }

  /** As resolve(), with each key in clear beside its row: whoever encrypts it here need not decrypt it again. */
  async resolveWithKeys(
    appId: string,
    userId: string,
    request: DestinationRequest,
    paths: { restream: string; saved: string } = { restream: 'restreamDestinations', saved: 'savedDestinationIds' },
  ): Promise<ResolvedDestination[]> {
    const rows: (ResolvedDestination & { path: string })[] = [];

    for (const [index, input] of request.restreamDestinations.entries()) {
      const path = `${paths.restream}.${index}.url`;
      const parsed = parseDestination({ url: input.url, streamKey: input.streamKey }, path);
      await this.hostPolicy.assertAllowed(parsed.host, path);
      rows.push({
        path,
        ...this.row(appId, {
          name: input.name ?? defaultDestinationName(parsed.host),
          baseUrl: parsed.baseUrl,
          streamKey: parsed.streamKey,
          enabled: input.enabled ?? true,
          savedDestinationId: null,
        }),
      });
    }

    if (request.savedDestinationIds.length > 0) {
      const found = await this.saved.findManyForUser(appId, userId, request.savedDestinationIds);
      for (const [index, id] of request.savedDestinationIds.entries()) {
        const path = `${paths.saved}.${index}`;
        const saved = found.find((candidate) => candidate.id === id);
        if (!saved) {
          const message = `no saved destination "${id}" for this user`;
          throw new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
        }
        rows.push({
          path,
          ...this.row(appId, {
            name: saved.name,
            baseUrl: saved.ingestUrl,
            streamKey: this.encryption.decrypt(saved.streamKeyCipher, 'stream-key'),
            enabled: saved.enabled,
            savedDestinationId: saved.id,
          }),
        });
      }
    }

    const seen = new Map<string, string>();
    for (const { row, path } of rows) {
      const earlier = seen.get(row.fingerprint);
      if (earlier) {
        const message = `duplicates ${earlier}: the same URL and key may be used once per stream`;
        throw new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
      }
      seen.set(row.fingerprint, path);
    }
    return rows.map(({ row, streamKey }) => ({ row, streamKey }));
  }

  private row(
    appId: string,
    input: { name: string; baseUrl: string; streamKey: string; enabled: boolean; savedDestinationId: string | null },
  ): ResolvedDestination {
    const row: NewDestinationRow = {
      id: this.random.id('dst'),
      appId,
      savedDestinationId: input.savedDestinationId,
      name: input.name,
      url: input.baseUrl,
      streamKeyCipher: this.encryption.encrypt(input.streamKey, 'stream-key'),
      fingerprint: this.fingerprint(fullDestinationUrl(input.baseUrl, input.streamKey)),
      enabled: input.enabled,
    };
    return { row, streamKey: input.streamKey };
  }
}
