import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { AppApiKeyGuard, CurrentApp } from '../auth/app-api-key.guard';
import type { AppRecord } from '../apps/apps.repository';
import {
  AddStreamDestinationDto,
  CreateManagedStreamDto,
  ListManagedStreamsQueryDto,
  ManagedStreamListResponseDto,
  ManagedStreamResponseDto,
  StreamDestinationResponseDto,
  UpdateStreamDestinationDto,
  withAppDefaults,
} from './managed-stream.schemas';
import { ManagedStreamsService } from './managed-streams.service';
import { StreamDestinationsService } from './stream-destinations.service';

@ApiTags('managed streams')
@ApiSecurity('apiKey')
@UseGuards(AppApiKeyGuard)
@Controller('api/managed-streams')
export class ManagedStreamsController {
  constructor(
    private readonly streams: ManagedStreamsService,
    private readonly destinations: StreamDestinationsService,
  ) {}

  @Post()
  @ZodResponse({ status: 201, type: ManagedStreamResponseDto, description: "Started, or joined the user's live stream" })
  async start(@CurrentApp() app: AppRecord, @Body() body: CreateManagedStreamDto) {
    return (await this.streams.start(app.id, withAppDefaults(body, app))).stream;
  }

  @Get()
  @ZodResponse({ status: 200, type: ManagedStreamListResponseDto })
  async list(@CurrentApp() app: AppRecord, @Query() query: ListManagedStreamsQueryDto) {
    return { streams: await this.streams.list(app.id, query) };
  }

  @Get(':streamId')
  @ZodResponse({ status: 200, type: ManagedStreamResponseDto })
  get(@CurrentApp() app: AppRecord, @Param('streamId') streamId: string) {
    return this.streams.get(app.id, streamId);
  }

  @Delete(':streamId')
  @ZodResponse({ status: 200, type: ManagedStreamResponseDto, description: 'This app left; the stream stops with the last app' })
  leave(@CurrentApp() app: AppRecord, @Param('streamId') streamId: string) {
    return this.streams.leave(app.id, streamId);
  }

  @Post(':streamId/destinations')
  @ZodResponse({ status: 201, type: StreamDestinationResponseDto })
  addDestination(@CurrentApp() app: AppRecord, @Param('streamId') streamId: string, @Body() body: AddStreamDestinationDto) {
    return this.destinations.add(app.id, streamId, body);
  }

  @Patch(':streamId/destinations/:destinationId')
  @ZodResponse({ status: 200, type: StreamDestinationResponseDto })
  updateDestination(
    @CurrentApp() app: AppRecord,
    @Param('streamId') streamId: string,
    @Param('destinationId') destinationId: string,
    @Body() body: UpdateStreamDestinationDto,
  ) {
    return this.destinations.setEnabled(app.id, streamId, destinationId, body.enabled);
  }

  @Post(':streamId/destinations/:destinationId/retry')
  @HttpCode(202)
  @ZodResponse({
    status: 202,
    type: StreamDestinationResponseDto,
    description: 'Retry now: the relay resets the backoff and connects at once (409 when the stream is not live on a relay)',
  })
  retryDestination(
    @CurrentApp() app: AppRecord,
    @Param('streamId') streamId: string,
    @Param('destinationId') destinationId: string,
  ) {
    return this.destinations.retry(app.id, streamId, destinationId);
  }

  @Delete(':streamId/destinations/:destinationId')
  @HttpCode(204)
  async removeDestination(
    @CurrentApp() app: AppRecord,
    @Param('streamId') streamId: string,
    @Param('destinationId') destinationId: string,
  ): Promise<void> {
    await this.destinations.remove(app.id, streamId, destinationId);
  }
}
