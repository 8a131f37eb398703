import { Controller, Get, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppsService } from '../../apps/apps.service';
import { AdminErrorFilter } from '../admin-error.filter';
import { AdminSessionGuard } from '../auth/admin-session.guard';

@ApiTags('admin')
@UseFilters(AdminErrorFilter)
@UseGuards(AdminSessionGuard)
@Controller('admin/api/apps')
export class AdminAppsController {
  constructor(private readonly apps: AppsService) {}

  /** Every app (never its API key). */
  @Get()
  async list() {
    return (await this.apps.list()).map(({ id, name, packageName, webhookUrl }) => ({ id, name, packageName, webhookUrl }));
  }
}
