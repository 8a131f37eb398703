import { Body, Controller, Get, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import { AdminErrorFilter } from '../admin-error.filter';
import { ADMIN_SESSION_COOKIE, sessionCookieOptions } from './admin-cookie';
import { AdminLoginDto, AdminSessionResponseDto } from './admin-auth.schemas';
import { AdminAuthService } from './admin-auth.service';
import { AdminSessionGuard, CurrentAdmin, type AdminRequest } from './admin-session.guard';
import type { AdminSession } from './admin-sessions.store';

@ApiTags('admin')
@UseFilters(AdminErrorFilter)
@Controller('admin/api')
export class AdminAuthController {
  constructor(private readonly auth: AdminAuthService) {}

  @Post('login')
  @HttpCode(200)
  @ZodResponse({ status: 200, type: AdminSessionResponseDto })
  async login(@Body() body: AdminLoginDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { sessionId, session } = await this.auth.login(body.username, body.password, request.ip ?? 'unknown');
    response.cookie(ADMIN_SESSION_COOKIE, sessionId, sessionCookieOptions(request.secure, this.auth.sessionTtlSeconds));
    return { username: session.username, csrfToken: session.csrfToken };
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(AdminSessionGuard)
  async logout(@Req() request: AdminRequest, @Res({ passthrough: true }) response: Response): Promise<void> {
    if (request.adminSessionId) await this.auth.logout(request.adminSessionId);
    response.clearCookie(ADMIN_SESSION_COOKIE, sessionCookieOptions(request.secure));
  }

  @Get('session')
  @UseGuards(AdminSessionGuard)
  @ZodResponse({ status: 200, type: AdminSessionResponseDto })
  session(@CurrentAdmin() session: AdminSession) {
    return { username: session.username, csrfToken: session.csrfToken };
  }
}
