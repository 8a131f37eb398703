import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { Clock } from '../../common/clock';
import { ConflictError, NotFoundError } from '../../common/errors';
import type { StreamRow } from '../../stream-records/managed-streams.repository';
import { StreamDestinationsService } from '../../streams/stream-destinations.service';
import { StreamLifecycleService } from '../../streams/stream-lifecycle.service';
import { StreamPresenter } from '../../streams/stream-presenter';
import { adminStreamView } from './admin-stream-view';
import type { AdminDestinationView, AdminStreamDetail, AdminStreamView } from './admin-stream-view.schemas';
import { addAdminStreamDestinationSchema } from './admin-streams.schemas';
import { AdminStreamsRepository } from './admin-streams.repository';

type AddInput = z.output<typeof addAdminStreamDestinationSchema>;

/**
 * Every stream, as operators see it; changes go through the same services the SDK's API
 * uses, acting for the app that owns the destination.
 */
@Injectable()
export class AdminStreamsService {
  private readonly logger = new Logger(AdminStreamsService.name);

  constructor(
    private readonly streams: AdminStreamsRepository,
    private readonly presenter: StreamPresenter,
    private readonly lifecycle: StreamLifecycleService,
    private readonly streamDestinations: StreamDestinationsService,
    private readonly clock: Clock,
  ) {}

  async list(filter: { status: 'live' | 'all'; limit: number }): Promise<AdminStreamView[]> {
    const rows = await this.streams.list({ liveOnly: filter.status === 'live', limit: filter.limit });
    return rows.map((row) => this.view(row));
  }

  async get(streamId: string, history: { beforeEventId?: string; eventsLimit: number }): Promise<AdminStreamDetail> {
    const row = await this.require(streamId);
    const before = history.beforeEventId !== undefined ? BigInt(history.beforeEventId) : null;
    const { events, hasMore } = await this.streams.eventsBefore(streamId, before, history.eventsLimit);
    return { ...this.view(row), events, eventsHasMore: hasMore };
  }

  async stop(streamId: string, admin: string): Promise<AdminStreamView> {
    const row = await this.require(streamId);
    await this.lifecycle.stop(row, `stopped from the admin dashboard by ${admin}`);
    this.logger.log({ admin, streamId }, 'Admin stopped a stream');
    return this.view(await this.require(streamId));
  }

  async addDestination(streamId: string, input: AddInput, admin: string): Promise<AdminDestinationView> {
    const { appId, ...destination } = input;
    const stream = await this.require(streamId);
    if (!stream.attachments.some((attachment) => attachment.appId === appId)) {
      throw new ConflictError(
        `App "${appId}" is not attached to stream "${streamId}"; destinations belong to one of its apps (${stream.attachments.map((a) => a.appId).join(', ') || 'none left'})`,
        'not_attached',
      );
    }
    const added = await this.streamDestinations.add(appId, streamId, destination);
    this.logger.log({ admin, streamId, appId, destinationId: added.id }, 'Admin added a destination to a live stream');
    return { ...added, appId };
  }

  async setDestinationEnabled(
    streamId: string,
    destinationId: string,
    enabled: boolean,
    admin: string,
  ): Promise<AdminDestinationView> {
    const appId = await this.ownerOf(streamId, destinationId);
    const updated = await this.streamDestinations.setEnabled(appId, streamId, destinationId, enabled);
    this.logger.log({ admin, streamId, appId, destinationId, enabled }, 'Admin switched a live destination');
    return { ...updated, appId };
  }

  /** "Retry now" for the app that owns the destination: the relay forgets the backoff and connects at once. */
  async retryDestination(streamId: string, destinationId: string, admin: string): Promise<AdminDestinationView> {
    const appId = await this.ownerOf(streamId, destinationId);
    const retried = await this.streamDestinations.retry(appId, streamId, destinationId);
    this.logger.log({ admin, streamId, appId, destinationId }, 'Admin asked a destination to retry now');
    return { ...retried, appId };
  }

  async removeDestination(streamId: string, destinationId: string, admin: string): Promise<void> {
    const appId = await this.ownerOf(streamId, destinationId);
    await this.streamDestinations.remove(appId, streamId, destinationId);
    this.logger.log({ admin, streamId, appId, destinationId }, 'Admin removed a destination from a live stream');
  }

  private view(row: StreamRow): AdminStreamView {
    return adminStreamView(row, (destination) => this.presenter.destination(destination), this.clock.now());
  }

  private async ownerOf(streamId: string, destinationId: string): Promise<string> {
    const destination = (await this.require(streamId)).destinations.find((d) => d.id === destinationId);
    if (!destination) throw new NotFoundError(`No destination "${destinationId}" on stream "${streamId}"`);
    return destination.appId;
  }

  private async require(streamId: string): Promise<StreamRow> {
    const row = await this.streams.findById(streamId);
    if (!row) throw new NotFoundError(`No managed stream "${streamId}"`);
    return row;
  }
}
