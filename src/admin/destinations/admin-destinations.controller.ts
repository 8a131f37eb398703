import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { AdminErrorFilter } from '../admin-error.filter';
import { AdminSessionGuard, CurrentAdmin } from '../auth/admin-session.guard';
import type { AdminSession } from '../auth/admin-sessions.store';
import {
  AdminDestinationResponseDto,
  CreateAdminDestinationDto,
  DestinationPresetDto,
  ListAdminDestinationsQueryDto,
  TestConnectionDto,
  TestConnectionResponseDto,
  UpdateAdminDestinationDto,
} from './admin-destinations.schemas';
import { AdminDestinationsService } from './admin-destinations.service';
import { DESTINATION_PRESETS } from './destination-presets';
import { TestConnectionService } from './test-connection.service';

@ApiTags('admin')
@UseFilters(AdminErrorFilter)
@UseGuards(AdminSessionGuard)
@Controller('admin/api')
export class AdminDestinationsController {
  constructor(
    private readonly destinations: AdminDestinationsService,
    private readonly connectionTest: TestConnectionService,
  ) {}

  @Get('destination-presets')
  @ZodResponse({ status: 200, type: [DestinationPresetDto] })
  presets() {
    return [...DESTINATION_PRESETS];
  }

  @Get('apps/:appId/destinations')
  @ZodResponse({ status: 200, type: [AdminDestinationResponseDto] })
  list(@Param('appId') appId: string, @Query() query: ListAdminDestinationsQueryDto) {
    return this.destinations.list(appId, query.userId);
  }

  @Post('apps/:appId/destinations')
  @ZodResponse({ status: 201, type: AdminDestinationResponseDto })
  create(@Param('appId') appId: string, @Body() body: CreateAdminDestinationDto, @CurrentAdmin() admin: AdminSession) {
    return this.destinations.create(appId, body, admin.username);
  }

  @Patch('apps/:appId/destinations/:id')
  @ZodResponse({ status: 200, type: AdminDestinationResponseDto })
  update(
    @Param('appId') appId: string,
    @Param('id') id: string,
    @Body() body: UpdateAdminDestinationDto,
    @CurrentAdmin() admin: AdminSession,
  ) {
    return this.destinations.update(appId, id, body, admin.username);
  }

  @Delete('apps/:appId/destinations/:id')
  @HttpCode(204)
  async delete(@Param('appId') appId: string, @Param('id') id: string, @CurrentAdmin() admin: AdminSession): Promise<void> {
    await this.destinations.delete(appId, id, admin.username);
  }

  /** TCP (+TLS) and the RTMP handshake only: never publishes. */
  @Post('destinations/test-connection')
  @HttpCode(200)
  @ZodResponse({ status: 200, type: TestConnectionResponseDto })
  testConnection(@Body() body: TestConnectionDto) {
    return this.connectionTest.test(body);
  }
}
