import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { AppsService } from '../../apps/apps.service';
import type { SavedDestinationResponse } from '../../destinations/saved-destination.schemas';
import { SavedDestinationsService } from '../../destinations/saved-destinations.service';
import {
  AdminDestinationResponse,
  createAdminDestinationSchema,
  updateAdminDestinationSchema,
} from './admin-destinations.schemas';

type CreateInput = z.output<typeof createAdminDestinationSchema>;
type UpdateInput = z.output<typeof updateAdminDestinationSchema>;

function present(appId: string, destination: SavedDestinationResponse): AdminDestinationResponse {
  return { ...destination, appId, ingestUrl: destination.url };
}

/** Saved destinations of any app, through the same service (and rules) the SDK's API uses. */
@Injectable()
export class AdminDestinationsService {
  private readonly logger = new Logger(AdminDestinationsService.name);

  constructor(
    private readonly apps: AppsService,
    private readonly saved: SavedDestinationsService,
  ) {}

  async list(appId: string, userId?: string): Promise<AdminDestinationResponse[]> {
    await this.requireApp(appId);
    return (await this.saved.list(appId, userId)).map((destination) => present(appId, destination));
  }

  async create(appId: string, input: CreateInput, admin: string): Promise<AdminDestinationResponse> {
    await this.requireApp(appId);
    const { ingestUrl, ...rest } = input;
    const created = await this.saved.create(appId, { ...rest, url: ingestUrl });
    this.logger.log({ admin, appId, destinationId: created.id }, 'Admin saved a destination');
    return present(appId, created);
  }

  async update(appId: string, id: string, input: UpdateInput, admin: string): Promise<AdminDestinationResponse> {
    await this.requireApp(appId);
    const { ingestUrl, ...rest } = input;
    const updated = await this.saved.update(appId, id, { ...rest, url: ingestUrl });
    // Which fields changed, never their values (one of them may be a key).
    const fields = Object.keys(input).filter((field) => input[field as keyof UpdateInput] !== undefined);
    this.logger.log({ admin, appId, destinationId: id, fields }, 'Admin changed a saved destination');
    return present(appId, updated);
  }

  async delete(appId: string, id: string, admin: string): Promise<void> {
    await this.requireApp(appId);
    await this.saved.delete(appId, id);
    this.logger.log({ admin, appId, destinationId: id }, 'Admin deleted a saved destination');
  }

  /** The ingest URL (without key) of a saved destination, for the connection test. */
  async ingestUrlOf(appId: string, id: string): Promise<string> {
    await this.requireApp(appId);
    return (await this.saved.get(appId, id)).url;
  }

  private async requireApp(appId: string): Promise<void> {
    await this.apps.get(appId); // NotFoundError when there is none
  }
}
