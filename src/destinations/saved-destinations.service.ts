import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { EncryptionService } from '../common/crypto/encryption.service';
import { NotFoundError } from '../common/errors';
import { maskSecret } from '../common/masking';
import { Random } from '../common/random';
import { DestinationHostPolicy } from './destination-host-policy';
import { detectPlatform, parseDestination } from './destination-url';
import {
  createSavedDestinationSchema,
  SavedDestinationResponse,
  updateSavedDestinationSchema,
} from './saved-destination.schemas';
import { SavedDestinationRow, SavedDestinationsRepository } from './saved-destinations.repository';

type CreateInput = z.output<typeof createSavedDestinationSchema>;
type UpdateInput = z.output<typeof updateSavedDestinationSchema>;

/** A user's reusable restream targets (their YouTube or Twitch keys), per app. */
@Injectable()
export class SavedDestinationsService {
  constructor(
    private readonly destinations: SavedDestinationsRepository,
    private readonly encryption: EncryptionService,
    private readonly hostPolicy: DestinationHostPolicy,
    private readonly random: Random,
  ) {}

  async create(appId: string, input: CreateInput): Promise<SavedDestinationResponse> {
    const parsed = parseDestination({ url: input.url, streamKey: input.streamKey });
    await this.hostPolicy.assertAllowed(parsed.host, 'url');
    const row = await this.destinations.create({
      id: this.random.id('sd'),
      appId,
      userId: input.userId,
      name: input.name,
      platform: input.platform ?? detectPlatform(parsed.host),
      ingestUrl: parsed.baseUrl,
      streamKeyCipher: this.encryption.encrypt(parsed.streamKey, 'stream-key'),
      enabled: input.enabled,
    });
    return this.present(row);
  }

  async list(appId: string, userId?: string): Promise<SavedDestinationResponse[]> {
    return (await this.destinations.list(appId, userId)).map((row) => this.present(row));
  }

  async get(appId: string, id: string): Promise<SavedDestinationResponse> {
    return this.present(await this.require(appId, id));
  }

  async update(appId: string, id: string, input: UpdateInput): Promise<SavedDestinationResponse> {
    const existing = await this.require(appId, id);
    const patch: Parameters<SavedDestinationsRepository['update']>[1] = {
      name: input.name,
      platform: input.platform,
      enabled: input.enabled,
    };
    if (input.url !== undefined || input.streamKey !== undefined) {
      // A new URL without a key in its path keeps the stored key: "change server" is not "retype key".
      const keyFromUrl = input.url !== undefined && this.urlCarriesKey(input.url);
      const parsed = parseDestination({
        url: input.url ?? existing.ingestUrl,
        streamKey: input.streamKey ?? (keyFromUrl ? undefined : this.decryptKey(existing)),
      });
      await this.hostPolicy.assertAllowed(parsed.host, 'url');
      patch.ingestUrl = parsed.baseUrl;
      patch.streamKeyCipher = this.encryption.encrypt(parsed.streamKey, 'stream-key');
      if (input.platform === undefined && input.url !== undefined) patch.platform = detectPlatform(parsed.host);
    }
    return this.present(await this.destinations.update(existing.id, patch));
  }

  async delete(appId: string, id: string): Promise<void> {
    await this.require(appId, id);
    await this.destinations.delete(id);
  }

  present(row: SavedDestinationRow): SavedDestinationResponse {
    return {
      id: row.id,
      userId: row.userId,
      name: row.name,
      platform: row.platform,
      url: row.ingestUrl,
      streamKeyMasked: maskSecret(this.decryptKey(row)),
      enabled: row.enabled,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  private urlCarriesKey(url: string): boolean {
    try {
      parseDestination({ url });
      return true;
    } catch {
      return false;
    }
  }

  private decryptKey(row: SavedDestinationRow): string {
    return this.encryption.decrypt(row.streamKeyCipher, 'stream-key');
  }

  private async require(appId: string, id: string): Promise<SavedDestinationRow> {
    const row = await this.destinations.findForApp(appId, id);
    if (!row) throw new NotFoundError(`No saved destination "${id}"`);
    return row;
  }
}
