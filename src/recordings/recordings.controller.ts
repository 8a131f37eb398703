import { Controller, Delete, Get, HttpCode, Param, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { AppApiKeyGuard, CurrentApp } from '../auth/app-api-key.guard';
import type { AppRecord } from '../apps/apps.repository';
import { RecordingListResponseDto } from './recording.schemas';
import { RecordingsService } from './recordings.service';

@ApiTags('managed streams')
@ApiSecurity('apiKey')
@UseGuards(AppApiKeyGuard)
@Controller('api/managed-streams/:streamId/recordings')
export class RecordingsController {
  constructor(private readonly recordings: RecordingsService) {}

  @Get()
  @ZodResponse({ status: 200, type: RecordingListResponseDto, description: "The stream's recordings, oldest first" })
  async list(@CurrentApp() app: AppRecord, @Param('streamId') streamId: string) {
    return { recordings: await this.recordings.list(app.id, streamId) };
  }

  /** The row disappears at once; the relay deletes the file at its next heartbeat. */
  @Delete(':recordingId')
  @HttpCode(204)
  async delete(
    @CurrentApp() app: AppRecord,
    @Param('streamId') streamId: string,
    @Param('recordingId') recordingId: string,
  ): Promise<void> {
    await this.recordings.delete(app.id, streamId, recordingId);
  }
}
