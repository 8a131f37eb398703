import type {
  AddStreamDestinationInput,
  CreateManagedStreamInput,
  CreateSavedDestinationInput,
  ManagedStreamResponse,
  RecordingListResponse,
  SavedDestinationResponse,
  StreamDestinationResponse,
  StreamEvent,
  UpdateSavedDestinationInput,
} from './generated/api.js';
import { StreamEventsConnection, StreamEventsOptions, StreamEventsSubscription } from './stream-events.js';
import { Transport, TransportOptions } from './transport.js';

export type RestreamClientOptions = TransportOptions;
export type ManagedStream = ManagedStreamResponse;
export type StreamDestination = StreamDestinationResponse;
export type SavedDestination = SavedDestinationResponse;
export type Recording = RecordingListResponse['recordings'][number];

export interface ListStreamsQuery {
  userId?: string;
  /** `live`: only streams that have not ended. */
  status?: 'live' | 'all';
  limit?: number;
}

/**
 * The glasses restream API for apps: managed streams, their restream destinations, a user's saved
 * destinations, and live status over Server-Sent Events. Every failure is a RestreamError subclass.
 *
 * ```ts
 * const client = new RestreamClient({ baseUrl: 'https://restream.example.com', apiKey });
 * const stream = await client.startManagedStream({ userId, restreamDestinations: [{ url, streamKey }] });
 * ```
 */
export class RestreamClient {
  private readonly transport: Transport;

  constructor(options: RestreamClientOptions) {
    this.transport = new Transport(options);
  }

  /** Starts the user's managed stream, or joins it when another app has it live (`joined: true`). */
  startManagedStream(input: CreateManagedStreamInput): Promise<ManagedStream> {
    return this.transport.call('POST /api/managed-streams', { body: input });
  }

  getStream(streamId: string): Promise<ManagedStream> {
    return this.transport.call('GET /api/managed-streams/{streamId}', { path: { streamId } });
  }

  async listStreams(query: ListStreamsQuery = {}): Promise<ManagedStream[]> {
    return (await this.transport.call('GET /api/managed-streams', { query })).streams;
  }

  /** Detaches this app; the stream stops when the last app leaves. */
  stopStream(streamId: string): Promise<ManagedStream> {
    return this.transport.call('DELETE /api/managed-streams/{streamId}', { path: { streamId } });
  }

  addDestination(streamId: string, destination: AddStreamDestinationInput): Promise<StreamDestination> {
    return this.transport.call('POST /api/managed-streams/{streamId}/destinations', { path: { streamId }, body: destination });
  }

  async removeDestination(streamId: string, destinationId: string): Promise<void> {
    await this.transport.call('DELETE /api/managed-streams/{streamId}/destinations/{destinationId}', {
      path: { streamId, destinationId },
    });
  }

  setDestinationEnabled(streamId: string, destinationId: string, enabled: boolean): Promise<StreamDestination> {
    return this.transport.call('PATCH /api/managed-streams/{streamId}/destinations/{destinationId}', {
      path: { streamId, destinationId },
      body: { enabled },
    });
  }

  /**
   * "Retry now": the relay forgets the destination's backoff and connects at once, a `failed` one
   * (its key refused too often) too. Answers with the destination as it is when asked; its new status
   * follows on `streamEvents`. Rejects with a 409 when the stream is not live on a relay.
   */
  retryDestination(streamId: string, destinationId: string): Promise<StreamDestination> {
    return this.transport.call('POST /api/managed-streams/{streamId}/destinations/{destinationId}/retry', {
      path: { streamId, destinationId },
    });
  }

  /** The stream's recordings (relay streams created with `record`), oldest first; `downloadUrl` expires. */
  async listRecordings(streamId: string): Promise<Recording[]> {
    return (await this.transport.call('GET /api/managed-streams/{streamId}/recordings', { path: { streamId } })).recordings;
  }

  /** Deletes a finished recording (the file follows on the relay shortly). */
  async deleteRecording(streamId: string, recordingId: string): Promise<void> {
    await this.transport.call('DELETE /api/managed-streams/{streamId}/recordings/{recordingId}', {
      path: { streamId, recordingId },
    });
  }

  createSavedDestination(input: CreateSavedDestinationInput): Promise<SavedDestination> {
    return this.transport.call('POST /api/destinations', { body: input });
  }

  async listSavedDestinations(query: { userId?: string } = {}): Promise<SavedDestination[]> {
    return (await this.transport.call('GET /api/destinations', { query })).destinations;
  }

  getSavedDestination(id: string): Promise<SavedDestination> {
    return this.transport.call('GET /api/destinations/{id}', { path: { id } });
  }

  /** A new `streamKey` replaces the stored key (keys are never shown again). */
  updateSavedDestination(id: string, changes: UpdateSavedDestinationInput): Promise<SavedDestination> {
    return this.transport.call('PATCH /api/destinations/{id}', { path: { id }, body: changes });
  }

  async deleteSavedDestination(id: string): Promise<void> {
    await this.transport.call('DELETE /api/destinations/{id}', { path: { id } });
  }

  /**
   * Calls `callback` with each status change of the stream and of this app's destinations: first
   * the history (after `options.lastEventId`), then live. Reconnects by itself, resuming after the
   * last event it delivered, so nothing is missed or repeated. `close()` the handle to stop.
   */
  onStreamStatus(
    streamId: string,
    callback: (event: StreamEvent) => void,
    options: StreamEventsOptions = {},
  ): StreamEventsSubscription {
    return new StreamEventsConnection(this.transport, streamId, callback, options).start();
  }
}
