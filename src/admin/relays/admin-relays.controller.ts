import { Controller, Get, UseFilters, UseGuards } from '@nestjs/common';
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
}
