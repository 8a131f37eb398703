import { Controller, Get, HttpCode, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { AdminErrorFilter } from '../admin-error.filter';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import { AdminRelayViewDto } from './admin-relays.dto';
import { AdminRelaysService } from './admin-relays.service';

@ApiTags('admin')
@UseFilters(AdminErrorFilter)
@UseGuards(AdminSessionGuard)
@Controller('admin/api/relays')
export class AdminRelaysController {
  constructor(private readonly relays: AdminRelaysService) {}

  @Get()
  @ZodResponse({ status: 200, type: [AdminRelayViewDto] })
  list() {
    return this.relays.list();
  }

  /** The relay takes no new stream; its agent carries its live ones until their end or its deadline, then exits. */
  @Post(':relayId/drain')
  @HttpCode(200)
  drain(@Param('relayId') relayId: string) {
    return this.relays.drain(relayId);
  }
}
