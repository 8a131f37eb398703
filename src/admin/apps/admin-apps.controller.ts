import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { AppsService } from '../../apps/apps.service';
import { AdminErrorFilter } from '../admin-error.filter';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import {
  AdminAppListDto,
  AdminAppParamsDto,
  AdminCreateAppDto,
  AdminCreatedAppDto,
  AdminRotatedKeyDto,
  AdminUpdateAppDto,
  AdminUpdatedAppDto,
} from './admin-apps.dto';
import { adminAppView } from './admin-apps.schemas';

/** Apps and their settings; an API key or generated webhook secret is in one response only. */
@ApiTags('admin')
@UseFilters(AdminErrorFilter)
@UseGuards(AdminSessionGuard)
@Controller('admin/api/apps')
export class AdminAppsController {
  constructor(private readonly apps: AppsService) {}

  @Get()
  @ZodResponse({ status: 200, type: AdminAppListDto })
  async list() {
    return { apps: (await this.apps.list()).map(adminAppView) };
  }

  @Post()
  @Header('Cache-Control', 'no-store')
  @ZodResponse({ status: 201, type: AdminCreatedAppDto, description: 'The API key is shown here only' })
  async create(@Body() body: AdminCreateAppDto) {
    const created = await this.apps.create(body);
    return { ...created, app: adminAppView(created.app) };
  }

  @Patch(':appId')
  @Header('Cache-Control', 'no-store')
  @ZodResponse({ status: 200, type: AdminUpdatedAppDto })
  async update(@Param() params: AdminAppParamsDto, @Body() body: AdminUpdateAppDto) {
    const updated = await this.apps.update(params.appId, body);
    return { ...updated, app: adminAppView(updated.app) };
  }

  @Post(':appId/rotate-key')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ZodResponse({
    status: 200,
    type: AdminRotatedKeyDto,
    description: 'The new key is shown here only; the old one stops working',
  })
  async rotateKey(@Param() params: AdminAppParamsDto) {
    const rotated = await this.apps.rotateApiKey(params.appId);
    return { ...rotated, app: adminAppView(rotated.app) };
  }
}
