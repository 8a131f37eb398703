import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import { AdminErrorFilter } from '../admin-error.filter';
import { AdminSessionGuard, CurrentAdmin } from '../auth/admin-session.guard';
import type { AdminSession } from '../auth/admin-sessions.store';
import { StreamEventDto } from '../../stream-records/stream-events';
import { AdminEventStreamer } from './admin-event-streamer';
import { AdminStreamHistoryDto, AdminStreamHistoryQueryDto, AdminStreamParamsDto } from './admin-stream-history.dto';
import { AdminStreamHistoryService } from './admin-stream-history.service';
import {
  AddAdminStreamDestinationDto,
  AdminDestinationViewDto,
  AdminLiveStatsDto,
  AdminStreamDetailDto,
  AdminStreamQueryDto,
  AdminStreamViewDto,
  ListAdminStreamsQueryDto,
  UpdateAdminStreamDestinationDto,
} from './admin-streams.schemas';
import { AdminStreamsService } from './admin-streams.service';

const StreamEventOutput = StreamEventDto.Output;
const LiveStatsOutput = AdminLiveStatsDto.Output;

@ApiTags('admin')
@ApiExtraModels(StreamEventOutput, LiveStatsOutput)
@UseFilters(AdminErrorFilter)
@UseGuards(AdminSessionGuard)
@Controller('admin/api')
export class AdminStreamsController {
  constructor(
    private readonly streams: AdminStreamsService,
    private readonly events: AdminEventStreamer,
    private readonly history: AdminStreamHistoryService,
  ) {}

  @Get('streams')
  @ZodResponse({ status: 200, type: [AdminStreamViewDto] })
  list(@Query() query: ListAdminStreamsQueryDto) {
    return this.streams.list(query);
  }

  @Get('streams/:id')
  @ZodResponse({ status: 200, type: AdminStreamDetailDto })
  get(@Param('id') id: string, @Query() query: AdminStreamQueryDto) {
    return this.streams.get(id, query);
  }

  /** Samples of the stream's figures (one per 5 s at most) for the stream page's charts. */
  @Get('streams/:id/history')
  @ZodResponse({ status: 200, type: AdminStreamHistoryDto })
  streamHistory(@Param() params: AdminStreamParamsDto, @Query() query: AdminStreamHistoryQueryDto) {
    return this.history.history(params.id, query.minutes);
  }

  @Post('streams/:id/stop')
  @HttpCode(200)
  @ZodResponse({ status: 200, type: AdminStreamViewDto, description: 'The stream, stopping until its carrier confirms' })
  stop(@Param('id') id: string, @CurrentAdmin() admin: AdminSession) {
    return this.streams.stop(id, admin.username);
  }

  @Post('streams/:id/destinations')
  @ZodResponse({ status: 201, type: AdminDestinationViewDto })
  addDestination(@Param('id') id: string, @Body() body: AddAdminStreamDestinationDto, @CurrentAdmin() admin: AdminSession) {
    return this.streams.addDestination(id, body, admin.username);
  }

  @Patch('streams/:id/destinations/:destinationId')
  @ZodResponse({ status: 200, type: AdminDestinationViewDto })
  setDestinationEnabled(
    @Param('id') id: string,
    @Param('destinationId') destinationId: string,
    @Body() body: UpdateAdminStreamDestinationDto,
    @CurrentAdmin() admin: AdminSession,
  ) {
    return this.streams.setDestinationEnabled(id, destinationId, body.enabled, admin.username);
  }

  @Post('streams/:id/destinations/:destinationId/retry')
  @HttpCode(202)
  @ZodResponse({
    status: 202,
    type: AdminDestinationViewDto,
    description: 'The relay forgets the backoff (and a failed state) and connects at once; 409 when not live on a relay',
  })
  retryDestination(@Param('id') id: string, @Param('destinationId') destinationId: string, @CurrentAdmin() admin: AdminSession) {
    return this.streams.retryDestination(id, destinationId, admin.username);
  }

  @Delete('streams/:id/destinations/:destinationId')
  @HttpCode(204)
  async removeDestination(
    @Param('id') id: string,
    @Param('destinationId') destinationId: string,
    @CurrentAdmin() admin: AdminSession,
  ): Promise<void> {
    await this.streams.removeDestination(id, destinationId, admin.username);
  }

  /** Server-Sent Events: every stream's events (event name = type), a heartbeat comment every 15 s. */
  @Get('events')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      '`event:` an event type with `id:` and a stream event as `data:`, or `stream.stats` (no id) with the changed stats',
    content: {
      'text/event-stream': {
        schema: { oneOf: [{ $ref: getSchemaPath(StreamEventOutput) }, { $ref: getSchemaPath(LiveStatsOutput) }] },
      },
    },
  })
  async streamEvents(@Req() request: Request, @Res() response: Response): Promise<void> {
    const header = request.headers['last-event-id'];
    await this.events.stream(typeof header === 'string' ? header : null, request, response);
  }
}
