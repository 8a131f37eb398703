import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { DestinationErrorCode, DestinationStatus, StreamStatus, StreamStrategy } from '../generated/prisma/enums';
import type { IngestHealth } from '../../relay/protocol/relay-protocol.schemas';
import type { NewStreamEvent, StreamEventMessage } from './stream-events';
import { eventColumns, StreamEventsRepository, toEventMessage } from './stream-events.repository';

export const streamWithDestinations = {
  destinations: { orderBy: { position: 'asc' } },
  attachments: { where: { detachedAt: null }, select: { appId: true } },
} satisfies Prisma.ManagedStreamInclude;

export type StreamRow = Prisma.ManagedStreamGetPayload<{ include: typeof streamWithDestinations }>;
export type DestinationRow = StreamRow['destinations'][number];

export interface NewDestinationRow {
  id: string;
  appId: string;
  savedDestinationId: string | null;
  name: string;
  url: string;
  streamKeyCipher: string;
  fingerprint: string;
  enabled: boolean;
}

export interface NewStreamRow {
  id: string;
  userId: string;
  userPathSegment: string;
  strategy: StreamStrategy;
  strategyReason: string | null;
  quality: string;
  enableWebRTC: boolean;
  durationLimit: number | null;
  reconnectWindowSeconds: number;
  record: boolean;
  slateText: string;
  slateImageUrl: string | null;
  appId: string;
}

/** Tells the relay (through its heartbeat) that this stream's destinations changed. */
async function bumpDestinationsVersion(tx: Prisma.TransactionClient, streamId: string): Promise<void> {
  await tx.managedStream.update({ where: { id: streamId }, data: { destinationsVersion: { increment: 1 } } });
}

/** The columns of a destination that change after it was added. */
export interface DestinationPatch {
  enabled?: boolean;
  status?: DestinationStatus;
  lastError?: string | null;
  lastErrorCode?: DestinationErrorCode | null;
  lastErrorAt?: Date | null;
  attempts?: number | { increment: number };
  nextRetryAt?: Date | null;
  sentBitrateKbps?: number | null;
  sentFrames?: number | null;
  retryRequests?: { increment: number };
  cloudflareOutputId?: string | null;
}

/** What decides whether a write of a destination is news: its status and error code as stored. */
export interface DestinationState {
  status: DestinationStatus;
  lastErrorCode: DestinationErrorCode | null;
}

export class LiveSlotTakenError extends Error {}
export class DuplicateDestinationError extends Error {}

function isUniqueViolation(error: unknown, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  return JSON.stringify(error.meta ?? {}).includes(field);
}

export type StreamPatch = Partial<
  Pick<
    StreamRow,
    | 'ingestBaseUrl'
    | 'publishKeyHash'
    | 'relayId'
    | 'cloudflareLiveInputId'
    | 'cloudflareIngestCipher'
    | 'cloudflareState'
    | 'cloudflareStateAt'
    | 'cloudflareConnectedAt'
    | 'cloudflareVideoAt'
    | 'cloudflareError'
    | 'strategy'
    | 'strategyReason'
    | 'hlsUrl'
    | 'hlsReadyAt'
    | 'dashUrl'
    | 'webrtcUrl'
    | 'statusReason'
    | 'startedAt'
    | 'endedAt'
    | 'bitrateKbps'
    | 'fps'
    | 'durationSeconds'
    | 'droppedFrames'
    | 'viewers'
    | 'outputMode'
    | 'outputModeReason'
    | 'statsUpdatedAt'
    | 'ingestUpdatedAt'
  >
> & { status?: StreamStatus; ingest?: IngestHealth };

@Injectable()
export class ManagedStreamsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly events: StreamEventsRepository,
  ) {}

  /**
   * Creates the stream, its first app, destinations and events (and, when provisioning came first,
   * the carrier's fields) in one nested create: one call, which Prisma runs as one transaction,
   * and whose result carries what the database filled in (timestamps, positions, event ids).
   */
  async create(
    stream: NewStreamRow,
    destinations: readonly NewDestinationRow[],
    initial: StreamPatch & { status: StreamStatus },
    events: NewStreamEvent[],
  ): Promise<{ row: StreamRow; events: StreamEventMessage[] }> {
    if (events.some((event) => event.streamId !== stream.id)) throw new Error('create: every event must be about the new stream');
    const { appId, ...fields } = stream;
    try {
      const { events: eventRows, ...row } = await this.prisma.managedStream.create({
        data: {
          ...fields,
          ...initial,
          liveUserId: stream.userId,
          attachments: { create: { appId } },
          destinations: { createMany: { data: [...destinations] } },
          events: { createMany: { data: events.map(eventColumns) } },
        },
        include: { ...streamWithDestinations, events: { orderBy: { id: 'asc' } } },
      });
      return { row, events: eventRows.map(toEventMessage) };
    } catch (error) {
      if (isUniqueViolation(error, 'liveUserId')) throw new LiveSlotTakenError();
      if (isUniqueViolation(error, 'fingerprint')) throw new DuplicateDestinationError();
      throw error;
    }
  }

  /** Attaches an app (again) and adds its destinations, bumping the destination version. */
  async attach(
    streamId: string,
    appId: string,
    destinations: readonly NewDestinationRow[],
    events: NewStreamEvent[],
  ): Promise<{ row: StreamRow; events: StreamEventMessage[] }> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        await tx.streamAttachment.upsert({
          where: { streamId_appId: { streamId, appId } },
          create: { streamId, appId },
          update: { detachedAt: null, attachedAt: new Date() },
        });
        if (destinations.length > 0) {
          await tx.streamDestination.createMany({ data: destinations.map((d) => ({ ...d, streamId })) });
        }
        await bumpDestinationsVersion(tx, streamId);
        const row = await tx.managedStream.findUniqueOrThrow({ where: { id: streamId }, include: streamWithDestinations });
        return { row, events: await this.events.append(events, tx) };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'fingerprint')) throw new DuplicateDestinationError();
      throw error;
    }
  }

  findById(id: string): Promise<StreamRow | null> {
    return this.prisma.managedStream.findUnique({ where: { id }, include: streamWithDestinations });
  }

  /** A stream this app has ever been attached to, in one query. */
  findVisibleToApp(id: string, appId: string): Promise<StreamRow | null> {
    return this.prisma.managedStream.findFirst({
      where: { id, attachments: { some: { appId } } },
      include: streamWithDestinations,
    });
  }

  /** Status and destination version of many streams, in one query (relay heartbeats). */
  findStatesByIds(ids: readonly string[]): Promise<Pick<StreamRow, 'id' | 'userId' | 'status' | 'destinationsVersion'>[]> {
    return this.prisma.managedStream.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, userId: true, status: true, destinationsVersion: true },
    });
  }

  /** Streams waiting for this relay to confirm their stop. */
  async findStoppingOnRelay(relayId: string): Promise<string[]> {
    const rows = await this.prisma.managedStream.findMany({ where: { relayId, status: 'stopping' }, select: { id: true } });
    return rows.map((row) => row.id);
  }

  /** The Cloudflare error that moved this user's latest stream off Cloudflare since `since`, if any. */
  async recentCloudflareError(userId: string, since: Date): Promise<string | null> {
    const row = await this.prisma.managedStream.findFirst({
      where: { userId, createdAt: { gte: since }, cloudflareError: { not: null } },
      orderBy: { createdAt: 'desc' },
      select: { cloudflareError: true },
    });
    return row?.cloudflareError ?? null;
  }

  findLiveByUserId(userId: string): Promise<StreamRow | null> {
    return this.prisma.managedStream.findUnique({ where: { liveUserId: userId }, include: streamWithDestinations });
  }

  listForApp(appId: string, filter: { userId?: string; liveOnly: boolean; limit: number }): Promise<StreamRow[]> {
    return this.prisma.managedStream.findMany({
      where: {
        attachments: { some: { appId } },
        ...(filter.userId ? { userId: filter.userId } : {}),
        ...(filter.liveOnly ? { liveUserId: { not: null } } : {}),
      },
      include: streamWithDestinations,
      orderBy: { createdAt: 'desc' },
      take: filter.limit,
    });
  }

  /**
   * Applies a patch (and a status change, when `expectedStatus` still holds) and appends
   * events in one transaction. Returns null when the status moved on meanwhile.
   * `stopDestinationIds`: destinations stopped with the stream (their events are among `events`).
   */
  async update(
    streamId: string,
    patch: StreamPatch,
    events: NewStreamEvent[],
    expectedStatus?: StreamStatus,
    stopDestinationIds: readonly string[] = [],
  ): Promise<{ row: StreamRow; events: StreamEventMessage[] } | null> {
    return this.prisma.$transaction(async (tx) => {
      const releasesSlot = patch.status === 'stopping' || patch.status === 'stopped';
      const result = await tx.managedStream.updateMany({
        where: { id: streamId, ...(expectedStatus ? { status: expectedStatus } : {}) },
        data: { ...patch, ...(releasesSlot ? { liveUserId: null } : {}) },
      });
      if (result.count === 0) return null;
      if (stopDestinationIds.length > 0) {
        await tx.streamDestination.updateMany({
          where: { streamId, id: { in: [...stopDestinationIds] } },
          data: { status: 'stopped' },
        });
      }
      const row = await tx.managedStream.findUniqueOrThrow({ where: { id: streamId }, include: streamWithDestinations });
      return { row, events: await this.events.append(events, tx) };
    });
  }

  /** True for the one caller that changes the stream's ingest grade to `grade` (concurrent reports race). */
  async claimIngestGrade(streamId: string, grade: string): Promise<boolean> {
    const claimed = await this.prisma.managedStream.updateMany({
      where: { id: streamId, OR: [{ ingestGrade: null }, { ingestGrade: { not: grade } }] },
      data: { ingestGrade: grade },
    });
    return claimed.count === 1;
  }

  /** Detaches an app (its destinations were stopped through the status recorder first). Returns how many apps remain. */
  async detach(
    streamId: string,
    appId: string,
    events: NewStreamEvent[],
  ): Promise<{ remaining: number; events: StreamEventMessage[] }> {
    return this.prisma.$transaction(async (tx) => {
      await tx.streamAttachment.update({
        where: { streamId_appId: { streamId, appId } },
        data: { detachedAt: new Date() },
      });
      await bumpDestinationsVersion(tx, streamId);
      const remaining = await tx.streamAttachment.count({ where: { streamId, detachedAt: null } });
      return { remaining, events: await this.events.append(events, tx) };
    });
  }

  async addDestination(
    streamId: string,
    destination: NewDestinationRow,
    events: (row: DestinationRow) => NewStreamEvent[],
  ): Promise<{ destination: DestinationRow; events: StreamEventMessage[] }> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const row = await tx.streamDestination.create({ data: { ...destination, streamId } });
        await bumpDestinationsVersion(tx, streamId);
        return { destination: row, events: await this.events.append(events(row), tx) };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'fingerprint')) throw new DuplicateDestinationError();
      throw error;
    }
  }

  async updateDestination(
    streamId: string,
    destinationId: string,
    patch: DestinationPatch,
    events: NewStreamEvent[] | ((before: DestinationState) => NewStreamEvent[]),
    bumpVersion: boolean,
  ): Promise<{ destination: DestinationRow; events: StreamEventMessage[] }> {
    return this.prisma.$transaction(async (tx) => {
      let toAppend = Array.isArray(events) ? events : [];
      if (!Array.isArray(events)) {
        // Locked, so that concurrent reports decide on the state each other left, not the one both read.
        const [before] = await tx.$queryRaw<DestinationState[]>`
          SELECT status::text AS status, "lastErrorCode"::text AS "lastErrorCode"
          FROM "StreamDestination" WHERE id = ${destinationId} AND "streamId" = ${streamId} FOR UPDATE`;
        if (before) toAppend = events(before);
      }
      const destination = await tx.streamDestination.update({ where: { id: destinationId, streamId }, data: patch });
      if (bumpVersion) {
        await bumpDestinationsVersion(tx, streamId);
      }
      return { destination, events: await this.events.append(toAppend, tx) };
    });
  }

  async deleteDestination(streamId: string, destinationId: string, events: NewStreamEvent[]): Promise<StreamEventMessage[]> {
    return this.prisma.$transaction(async (tx) => {
      await tx.streamDestination.delete({ where: { id: destinationId, streamId } });
      await bumpDestinationsVersion(tx, streamId);
      return this.events.append(events, tx);
    });
  }
}
