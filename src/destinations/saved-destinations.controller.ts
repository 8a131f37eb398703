import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { AppApiKeyGuard, CurrentApp } from '../auth/app-api-key.guard';
import type { AppRecord } from '../apps/apps.repository';
import {
  CreateSavedDestinationDto,
  ListSavedDestinationsQueryDto,
  SavedDestinationListResponseDto,
  SavedDestinationResponseDto,
  UpdateSavedDestinationDto,
} from './saved-destination.schemas';
import { SavedDestinationsService } from './saved-destinations.service';

@ApiTags('saved destinations')
@ApiSecurity('apiKey')
@UseGuards(AppApiKeyGuard)
@Controller('api/destinations')
export class SavedDestinationsController {
  constructor(private readonly destinations: SavedDestinationsService) {}

  @Post()
  @ZodResponse({ status: 201, type: SavedDestinationResponseDto })
  create(@CurrentApp() app: AppRecord, @Body() body: CreateSavedDestinationDto) {
    return this.destinations.create(app.id, body);
  }

  @Get()
  @ZodResponse({ status: 200, type: SavedDestinationListResponseDto })
  async list(@CurrentApp() app: AppRecord, @Query() query: ListSavedDestinationsQueryDto) {
    return { destinations: await this.destinations.list(app.id, query.userId) };
  }

  @Get(':id')
  @ZodResponse({ status: 200, type: SavedDestinationResponseDto })
  get(@CurrentApp() app: AppRecord, @Param('id') id: string) {
    return this.destinations.get(app.id, id);
  }

  @Patch(':id')
  @ZodResponse({ status: 200, type: SavedDestinationResponseDto })
  update(@CurrentApp() app: AppRecord, @Param('id') id: string, @Body() body: UpdateSavedDestinationDto) {
    return this.destinations.update(app.id, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentApp() app: AppRecord, @Param('id') id: string): Promise<void> {
    await this.destinations.delete(app.id, id);
  }
}
