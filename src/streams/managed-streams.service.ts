import { Injectable } from '@nestjs/common';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { Random } from '../common/random';
import { DestinationHostPolicy } from '../destinations/destination-host-policy';
import { DestinationInputResolver, ResolvedDestination } from '../destinations/destination-input.resolver';
import { CloudflareJobsProducer } from '../queues/cloudflare-jobs.producer';
import { StrategyRegistry } from '../strategies/strategy-registry';
import { strategyView } from '../strategies/stream-strategy';
import { CreateManagedStreamInput, ManagedStreamResponse, MAX_DESTINATIONS_PER_APP } from './managed-stream.schemas';
import {
  DuplicateDestinationError,
  LiveSlotTakenError,
  ManagedStreamsRepository,
  NewDestinationRow,
  NewStreamRow,
  StreamRow,
} from '../stream-records/managed-streams.repository';
import {
  appAttachedEvent,
  appDetachedEvent,
  destinationAddedEvent,
  type NewStreamEvent,
  streamStatusEvent,
} from '../stream-records/stream-events';
import { StreamEventBus } from '../stream-records/stream-event-bus';
import { DestinationStatusRecorder } from '../stream-records/destination-status.recorder';
import { StreamLifecycleService } from './stream-lifecycle.service';
import { DestinationProvisionResults } from '../strategies/destination-provision-results';
import { StreamProvisioner, WAITING_FOR_GLASSES } from './stream-provisioner';
import { StreamPresenter } from './stream-presenter';
import { RelayReassignmentService } from '../relays/relay-reassignment.service';
import { StrategyDestinations } from '../strategies/strategy-destinations';
import { imageUrlHost, slateColumns } from '../stream-records/stream-slate';
import { userPathSegment } from '../stream-records/user-path-segment';

export interface StartStreamResult {
  stream: ManagedStreamResponse;
  joined: boolean;
}

/** Starting, joining, reading and leaving managed streams on behalf of apps. */
@Injectable()
export class ManagedStreamsService {
  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly destinationInputs: DestinationInputResolver,
    private readonly strategies: StrategyRegistry,
    private readonly lifecycle: StreamLifecycleService,
    private readonly bus: StreamEventBus,
    private readonly presenter: StreamPresenter,
    private readonly strategyDestinations: StrategyDestinations,
    private readonly random: Random,
    private readonly provisioner: StreamProvisioner,
    private readonly destinationResults: DestinationProvisionResults,
    private readonly cloudflareJobs: CloudflareJobsProducer,
    private readonly reassignment: RelayReassignmentService,
    private readonly hostPolicy: DestinationHostPolicy,
    private readonly destinationStatus: DestinationStatusRecorder,
  ) {}

  async start(appId: string, input: CreateManagedStreamInput): Promise<StartStreamResult> {
    const resolved = await this.destinationInputs.resolveWithKeys(appId, input.userId, input);
    const destinations = resolved.map(({ row }) => row);
    // Checked even when the request ends up joining (and its slate is ignored): a bad request is refused alike.
    if (input.slate?.imageUrl) {
      await this.hostPolicy.assertAllowed(imageUrlHost(input.slate.imageUrl), 'slate.imageUrl', 'slate images');
    }
    // Creating is the common case, so try it first: the live-slot unique index tells us when the
    // user already streams (or another request just won the race), and then we join.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return { stream: await this.create(appId, input, resolved), joined: false };
      } catch (error) {
        if (!(error instanceof LiveSlotTakenError)) throw error;
      }
      const live = await this.streams.findLiveByUserId(input.userId);
      if (live) return this.joinOrResume(live, appId, destinations);
    }
    throw new ConflictError("The user's stream changed while starting; try again", 'retry');
  }

  /**
   * The glasses are (re)connecting: a stream stranded on a dead relay first gets a fresh one. The
   * app that already uses it then gets it back with its new ingest URL instead of a conflict.
   */
  private async joinOrResume(live: StreamRow, appId: string, destinations: NewDestinationRow[]): Promise<StartStreamResult> {
    const { row, reassigned } = await this.reassignment.ensureLiveRelay(live);
    if (reassigned && row.attachments.some((attachment) => attachment.appId === appId)) {
      return { stream: this.presenter.stream(row, appId, true), joined: true };
    }
    return { stream: await this.join(row, appId, destinations), joined: true };
  }

  async get(appId: string, streamId: string): Promise<ManagedStreamResponse> {
    return this.presenter.stream(await this.requireVisible(appId, streamId), appId);
  }

  async list(
    appId: string,
    filter: { userId?: string; status: 'live' | 'all'; limit: number },
  ): Promise<ManagedStreamResponse[]> {
    const rows = await this.streams.listForApp(appId, {
      userId: filter.userId,
      liveOnly: filter.status === 'live',
      limit: filter.limit,
    });
    return rows.map((row) => this.presenter.stream(row, appId));
  }

  /** The app leaves the stream; the stream stops when the last app has left. */
  async leave(appId: string, streamId: string): Promise<ManagedStreamResponse> {
    const row = await this.requireVisible(appId, streamId);
    if (!row.attachments.some((attachment) => attachment.appId === appId)) {
      return this.presenter.stream(row, appId);
    }
    // The leaving app's destinations stop with it, each told as a status change like any other.
    for (const destination of row.destinations) {
      if (destination.appId !== appId || (destination.status === 'stopped' && !destination.enabled)) continue;
      await this.destinationStatus.record(streamId, destination, {
        status: 'stopped',
        reason: 'the app left the stream',
        also: { enabled: false },
        data: { enabled: false },
        bumpVersion: true,
      });
    }
    const { remaining, events } = await this.streams.detach(streamId, appId, [appDetachedEvent(streamId, appId)]);
    await this.bus.publish(events);
    let current = (await this.streams.findById(streamId)) ?? row;
    if (remaining === 0) current = await this.lifecycle.stop(current, 'stopped by the last app');
    // The leaving app's destinations stop with it; on Cloudflare that means deleting their outputs.
    else if (current.cloudflareLiveInputId) await this.cloudflareJobs.scheduleReconcileOutputs(streamId, 0);
    return this.presenter.stream(current, appId);
  }

  async requireVisible(appId: string, streamId: string): Promise<StreamRow> {
    const row = await this.streams.findVisibleToApp(streamId, appId);
    if (!row) throw new NotFoundError(`No managed stream "${streamId}"`);
    return row;
  }

  /**
   * One pass: the keys stay in clear from the request (encrypted once, for the rows, never
   * decrypted), the relay picked while choosing is the one provisioned, and the stream goes in
   * with everything it owns in one statement batch whose result is the response.
   */
  private async create(
    appId: string,
    input: CreateManagedStreamInput,
    resolved: ResolvedDestination[],
  ): Promise<ManagedStreamResponse> {
    const segment = userPathSegment(input.userId);
    const choice = await this.strategies.choose(input.strategy, {
      userPathSegment: segment,
      recentCloudflareError: input.strategy === 'auto' ? await this.provisioner.recentCloudflareError(input.userId) : null,
    });
    const strategy = this.strategies.get(choice.strategy);
    const stream: NewStreamRow = {
      id: this.random.id('ms'),
      appId,
      userId: input.userId,
      userPathSegment: segment,
      strategy: choice.strategy,
      strategyReason: choice.reason,
      quality: input.quality,
      enableWebRTC: input.enableWebRTC,
      durationLimit: input.durationLimit ?? null,
      reconnectWindowSeconds: input.reconnectWindowSeconds,
      record: input.record,
      ...slateColumns(input.slate),
    };
    const view = { ...stream, status: 'initializing' as const, relayId: null, cloudflareLiveInputId: null };
    const destinations = resolved.map(({ row }) => row);
    const strategyDestinations = resolved.map(({ row, streamKey }) => this.strategyDestinations.withKey(row, streamKey));
    const streamKeys = new Map(resolved.map(({ row, streamKey }) => [row.id, streamKey]));
    const added = destinations.map((d) => destinationAddedEvent(stream.id, appId, d));
    const initializing = streamStatusEvent(stream.id, 'initializing', choice.reason, { strategy: choice.strategy });

    if (strategy.provisionsBeforeInsert) {
      const provisioned = await strategy.provision(view, strategyDestinations, choice.relay);
      const ready = { ...provisioned, status: 'connecting' as const, statusReason: WAITING_FOR_GLASSES };
      const connecting = streamStatusEvent(stream.id, 'connecting', WAITING_FOR_GLASSES);
      const { row } = await this.insert(stream, destinations, ready, [initializing, ...added, connecting]);
      return this.presenter.stream(row, appId, false, streamKeys);
    }

    const { row } = await this.insert(stream, destinations, { status: 'initializing' }, [initializing, ...added]);
    return this.presenter.stream(
      await this.provisioner.provision(row, strategyDestinations, choice.relay),
      appId,
      false,
      streamKeys,
    );
  }

  private async insert(
    stream: NewStreamRow,
    destinations: NewDestinationRow[],
    initial: Parameters<ManagedStreamsRepository['create']>[2],
    events: NewStreamEvent[],
  ): Promise<{ row: StreamRow }> {
    try {
      const result = await this.streams.create(stream, destinations, initial, events);
      await this.bus.publish(result.events);
      return { row: result.row };
    } catch (error) {
      if (error instanceof DuplicateDestinationError) throw duplicateDestination();
      throw error;
    }
  }

  private async join(live: StreamRow, appId: string, destinations: NewDestinationRow[]): Promise<ManagedStreamResponse> {
    if (live.attachments.some((attachment) => attachment.appId === appId)) {
      throw new ConflictError(
        `This app already has a live stream for this user (${live.id}); stop it or add destinations to it`,
        'already_streaming',
        { streamId: live.id },
      );
    }
    const existingForApp = live.destinations.filter((d) => d.appId === appId).length;
    if (existingForApp + destinations.length > MAX_DESTINATIONS_PER_APP) {
      throw new InvalidInputError(`An app may have at most ${MAX_DESTINATIONS_PER_APP} destinations on a stream`);
    }
    try {
      const { row, events } = await this.streams.attach(live.id, appId, destinations, [
        appAttachedEvent(live.id, appId),
        ...destinations.map((d) => destinationAddedEvent(live.id, appId, d)),
      ]);
      await this.bus.publish(events);
      const strategy = this.strategies.get(row.strategy);
      const newDestinations = row.destinations.filter((d) => destinations.some((added) => added.id === d.id));
      for (const destination of newDestinations) {
        const result = await strategy.addDestination(strategyView(row), this.strategyDestinations.fromRow(destination));
        await this.destinationResults.apply(row.id, destination, result);
      }
      const current = newDestinations.length > 0 ? await this.streams.findById(row.id) : row;
      return this.presenter.stream(current ?? row, appId, true);
    } catch (error) {
      if (error instanceof DuplicateDestinationError) throw duplicateDestination();
      throw error;
    }
  }
}

function duplicateDestination(): ConflictError {
  return new ConflictError('One of these destinations is already on the stream', 'duplicate_destination');
}
