import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProduces, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppApiKeyGuard, CurrentApp } from '../auth/app-api-key.guard';
import type { AppRecord } from '../apps/apps.repository';
import { ManagedStreamsService } from './managed-streams.service';
import { StreamEventStreamer } from './stream-event-streamer';
import { StreamEventDto } from '../stream-records/stream-events';

const StreamEventOutput = StreamEventDto.Output;

@ApiTags('managed streams')
@ApiSecurity('apiKey')
@ApiExtraModels(StreamEventOutput)
@UseGuards(AppApiKeyGuard)
@Controller('api/managed-streams')
export class StreamEventsController {
  constructor(
    private readonly streams: ManagedStreamsService,
    private readonly streamer: StreamEventStreamer,
  ) {}

  /**
   * Server-Sent Events: the stream's history (after Last-Event-ID), then live changes. The
   * response ends after the stream's final status, and when the service shuts down.
   */
  @Get(':streamId/events')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'Each event: `id:` (resume with Last-Event-ID), `event:` its type, `data:` this JSON',
    content: { 'text/event-stream': { schema: { $ref: getSchemaPath(StreamEventOutput) } } },
  })
  async events(
    @CurrentApp() app: AppRecord,
    @Param('streamId') streamId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const stream = await this.streams.requireVisible(app.id, streamId);
    const header = request.headers['last-event-id'];
    const fromQuery = typeof request.query.lastEventId === 'string' ? request.query.lastEventId : undefined;
    const lastEventId = (typeof header === 'string' ? header : fromQuery) ?? null;
    await this.streamer.stream({ streamId, appId: app.id, lastEventId, stopped: stream.status === 'stopped' }, request, response);
  }
}
