import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import { RelayTokenGuard } from '../auth/relay-token.guard';
import type { RelayRecord } from '../relays/relays.repository';
import { RecordingsService } from '../recordings/recordings.service';
import { RelayDrainService } from '../relays/relay-drain.service';
import { RelayRegistryService } from '../relays/relay-registry.service';
import { RtmpRelayService } from './rtmp-relay.service';
import {
  HlsReadyDto,
  PublishAuthDto,
  PublishAuthResponseDto,
  RelayHandOverResponseDto,
  RelayHeartbeatDto,
  RelayHeartbeatResponseDto,
  RelayRecordingReportDto,
  RelayRegistrationDto,
  RelayResponseDto,
  RelayStreamPlanDto,
  RelayStreamStatusDto,
} from '../relays/rtmp-relay.schemas';

export function presentRelay(relay: RelayRecord) {
  return { ...relay, lastHeartbeatAt: relay.lastHeartbeatAt?.toISOString() ?? null };
}

/** The endpoints the relay fleet calls; paths are fixed by the fleet. */
@ApiTags('relay')
@ApiSecurity('relayToken')
@UseGuards(RelayTokenGuard)
@Controller('api/rtmp-relay')
export class RtmpRelayController {
  constructor(
    private readonly relayService: RtmpRelayService,
    private readonly registry: RelayRegistryService,
    private readonly recordings: RecordingsService,
    private readonly drain: RelayDrainService,
  ) {}

  /** The stream's plan (window, slate, destinations); fetched again when destinationsVersion changes. */
  @Get('restream-destinations/:userId/:streamId')
  @ZodResponse({ status: 200, type: RelayStreamPlanDto })
  destinations(@Param('userId') userId: string, @Param('streamId') streamId: string) {
    return this.relayService.destinations(userId, streamId);
  }

  @Post('hls-ready')
  @HttpCode(200)
  async hlsReady(@Body() body: HlsReadyDto): Promise<{ ok: true }> {
    await this.relayService.hlsReady(body);
    return { ok: true };
  }

  @Post('stream-status')
  @HttpCode(200)
  async streamStatus(@Body() body: RelayStreamStatusDto): Promise<{ ok: true }> {
    await this.relayService.streamStatus(body);
    return { ok: true };
  }

  /**
   * 200 allows the publish and carries the stream's plan, 403 refuses it with the reason
   * (nginx-rtmp's on_publish reads only the status).
   */
  @Post('publish-auth')
  @ZodResponse({ status: 200, type: PublishAuthResponseDto, description: '`allowed: true` with the plan' })
  @ApiResponse({ status: 403, type: PublishAuthResponseDto.Output, description: '`allowed: false` with the reason' })
  async publishAuth(@Body() body: PublishAuthDto, @Res({ passthrough: true }) response: Response) {
    const decision = await this.relayService.publishAuth(body.path, body.key, body.relayId);
    response.status(decision.allowed ? 200 : 403);
    return decision;
  }

  @Post('relays')
  @ZodResponse({ status: 201, type: RelayResponseDto })
  async register(@Body() body: RelayRegistrationDto) {
    return presentRelay(await this.registry.register(body));
  }

  @Get('relays')
  async list() {
    return { relays: (await this.registry.list()).map(presentRelay) };
  }

  /** A recording this relay writes: started, its progress, and how it ended. */
  @Post('relays/:relayId/recordings')
  @HttpCode(200)
  async recording(@Param('relayId') relayId: string, @Body() body: RelayRecordingReportDto): Promise<{ ok: true }> {
    await this.recordings.report(relayId, body);
    return { ok: true };
  }

  @Post('relays/:relayId/heartbeat')
  @ZodResponse({ status: 200, type: RelayHeartbeatResponseDto })
  heartbeat(@Param('relayId') relayId: string, @Body() body: RelayHeartbeatDto) {
    return this.relayService.heartbeat(relayId, body);
  }

  /** A draining relay at its deadline: its live streams move elsewhere before it drops their publishers. */
  @Post('relays/:relayId/hand-over')
  @HttpCode(200)
  @ZodResponse({ status: 200, type: RelayHandOverResponseDto })
  handOver(@Param('relayId') relayId: string) {
    return this.drain.handOver(relayId);
  }
}
