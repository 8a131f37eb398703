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
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import { AdminErrorFilter } from '../admin-error.filter';
import { AdminSessionGuard, CurrentAdmin } from '../auth/admin-session.guard';
import type { AdminSession } from '../auth/admin-sessions.store';
import { AdminEventStreamer } from './admin-event-streamer';
import { AdminStreamHistoryDto, AdminStreamHistoryQueryDto, AdminStreamParamsDto } from './admin-stream-history.dto';
import { AdminStreamHistoryService } from './admin-stream-history.service';
import {
  AddAdminStreamDestinationDto,
  AdminStreamQueryDto,
  ListAdminStreamsQueryDto,
  UpdateAdminStreamDestinationDto,
} from './admin-streams.schemas';
import { AdminStreamsService } from './admin-streams.service';

@ApiTags('admin')
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
  list(@Query() query: ListAdminStreamsQueryDto) {
    return this.streams.list(query);
  }

  @Get('streams/:id')
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
  stop(@Param('id') id: string, @CurrentAdmin() admin: AdminSession) {
    return this.streams.stop(id, admin.username);
  }

  @Post('streams/:id/destinations')
  addDestination(@Param('id') id: string, @Body() body: AddAdminStreamDestinationDto, @CurrentAdmin() admin: AdminSession) {
    return this.streams.addDestination(id, body, admin.username);
  }

  @Patch('streams/:id/destinations/:destinationId')
  setDestinationEnabled(
    @Param('id') id: string,
    @Param('destinationId') destinationId: string,
    @Body() body: UpdateAdminStreamDestinationDto,
    @CurrentAdmin() admin: AdminSession,
  ) {
    return this.streams.setDestinationEnabled(id, destinationId, body.enabled, admin.username);
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
  async streamEvents(@Req() request: Request, @Res() response: Response): Promise<void> {
    const header = request.headers['last-event-id'];
    await this.events.stream(typeof header === 'string' ? header : null, request, response);
  }
}
