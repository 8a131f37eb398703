import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { DestinationInputResolver } from '../destinations/destination-input.resolver';
import { StrategyRegistry } from '../strategies/strategy-registry';
import { addStreamDestinationSchema, MAX_DESTINATIONS_PER_APP, StreamDestinationResponse } from './managed-stream.schemas';
import { DestinationProvisionResults } from '../strategies/destination-provision-results';
import {
  DestinationRow,
  DuplicateDestinationError,
  ManagedStreamsRepository,
  StreamRow,
} from '../stream-records/managed-streams.repository';
import { ManagedStreamsService } from './managed-streams.service';
import { StreamEventBus } from '../stream-records/stream-event-bus';
import { DestinationStatusRecorder } from '../stream-records/destination-status.recorder';
import { destinationAddedEvent, destinationRemovedEvent } from '../stream-records/stream-events';
import { strategyView } from '../strategies/stream-strategy';
import { StreamPresenter } from './stream-presenter';
import { isEnded } from '../stream-records/stream-status';
import { StrategyDestinations } from '../strategies/strategy-destinations';

type AddInput = z.output<typeof addStreamDestinationSchema>;

/** A relay holds the stream's destination connections from the glasses' first publish (startedAt) until the end. */
const RELAY_CARRIED: readonly StreamRow['status'][] = ['connecting', 'active', 'reconnecting'];

/** Adding, enabling, disabling and removing an app's destinations on a live stream. */
@Injectable()
export class StreamDestinationsService {
  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly managedStreams: ManagedStreamsService,
    private readonly destinationInputs: DestinationInputResolver,
    private readonly strategies: StrategyRegistry,
    private readonly strategyDestinations: StrategyDestinations,
    private readonly bus: StreamEventBus,
    private readonly presenter: StreamPresenter,
    private readonly destinationResults: DestinationProvisionResults,
    private readonly destinationStatus: DestinationStatusRecorder,
  ) {}

  async add(appId: string, streamId: string, input: AddInput): Promise<StreamDestinationResponse> {
    const stream = await this.requireLive(appId, streamId);
    if (stream.destinations.filter((d) => d.appId === appId).length >= MAX_DESTINATIONS_PER_APP) {
      throw new InvalidInputError(`An app may have at most ${MAX_DESTINATIONS_PER_APP} destinations on a stream`);
    }
    const [row] = await this.destinationInputs.resolve(
      appId,
      stream.userId,
      {
        restreamDestinations: input.url
          ? [{ url: input.url, streamKey: input.streamKey, name: input.name, enabled: input.enabled }]
          : [],
        savedDestinationIds: input.savedDestinationId ? [input.savedDestinationId] : [],
      },
      { restream: 'destination', saved: 'savedDestinationId' },
    );
    let added: DestinationRow;
    try {
      const result = await this.streams.addDestination(streamId, row, (created) => [
        destinationAddedEvent(streamId, appId, created),
      ]);
      await this.bus.publish(result.events);
      added = result.destination;
    } catch (error) {
      if (error instanceof DuplicateDestinationError) {
        throw new ConflictError('This destination is already on the stream', 'duplicate_destination');
      }
      throw error;
    }
    const provisioned = await this.strategies
      .get(stream.strategy)
      .addDestination(strategyView(stream), this.strategyDestinations.fromRow(added));
    added = await this.destinationResults.apply(streamId, added, provisioned);
    return this.presenter.destination(added);
  }

  async setEnabled(appId: string, streamId: string, destinationId: string, enabled: boolean): Promise<StreamDestinationResponse> {
    const stream = await this.requireLive(appId, streamId);
    const destination = this.requireOwnDestination(stream, appId, destinationId);
    if (destination.enabled === enabled) return this.presenter.destination(destination);
    const provisioned = await this.strategies
      .get(stream.strategy)
      .setDestinationEnabled(strategyView(stream), this.strategyDestinations.fromRow(destination), enabled);
    const status = enabled ? 'idle' : 'stopped';
    const updated = await this.destinationStatus.record(streamId, destination, {
      status,
      reason: enabled ? 'enabled' : 'disabled',
      // Enabled again: a fresh start, with none of the old failure's count or schedule.
      also: enabled
        ? { enabled, lastError: null, lastErrorCode: null, lastErrorAt: null, attempts: 0, nextRetryAt: null }
        : { enabled, nextRetryAt: null, sentBitrateKbps: null, sentFrames: null },
      data: { enabled },
      bumpVersion: true,
    });
    return this.presenter.destination(await this.destinationResults.apply(streamId, updated, provisioned));
  }

  /**
   * "Retry now": the relay forgets the destination's backoff and refusals and connects at once (a
   * `failed` one too). It learns it as it learns enable and disable: a new destinations version.
   */
  async retry(appId: string, streamId: string, destinationId: string): Promise<StreamDestinationResponse> {
    const stream = await this.requireLive(appId, streamId);
    const destination = this.requireOwnDestination(stream, appId, destinationId);
    const onRelay = stream.strategy === 'relay' && stream.relayId !== null && stream.startedAt !== null;
    if (!onRelay || !RELAY_CARRIED.includes(stream.status)) {
      throw new ConflictError(
        `Stream "${streamId}" is not live on a relay (${stream.strategy}, ${stream.status}): there is no connection to retry`,
        'not_live_on_relay',
      );
    }
    if (!destination.enabled) {
      throw new ConflictError('This destination is disabled: enable it to start it', 'destination_disabled');
    }
    const updated = await this.streams.updateDestination(
      streamId,
      destinationId,
      { retryRequests: { increment: 1 }, nextRetryAt: null },
      [],
      true,
    );
    return this.presenter.destination(updated.destination);
  }

  async remove(appId: string, streamId: string, destinationId: string): Promise<void> {
    const stream = await this.managedStreams.requireVisible(appId, streamId);
    const destination = this.requireOwnDestination(stream, appId, destinationId);
    if (!isEnded(stream.status)) {
      await this.strategies
        .get(stream.strategy)
        .removeDestination(strategyView(stream), this.strategyDestinations.fromRow(destination));
    }
    const events = await this.streams.deleteDestination(streamId, destinationId, [
      destinationRemovedEvent(streamId, appId, destination),
    ]);
    await this.bus.publish(events);
  }

  private async requireLive(appId: string, streamId: string): Promise<StreamRow> {
    const stream = await this.managedStreams.requireVisible(appId, streamId);
    if (isEnded(stream.status)) {
      throw new ConflictError(`Stream "${streamId}" has ended; its destinations can no longer change`, 'stream_ended');
    }
    if (!stream.attachments.some((attachment) => attachment.appId === appId)) {
      throw new ConflictError('This app has left the stream', 'not_attached');
    }
    return stream;
  }

  private requireOwnDestination(stream: StreamRow, appId: string, destinationId: string): DestinationRow {
    const destination = stream.destinations.find((d) => d.id === destinationId && d.appId === appId);
    if (!destination) throw new NotFoundError(`No destination "${destinationId}" on this stream`);
    return destination;
  }
}
