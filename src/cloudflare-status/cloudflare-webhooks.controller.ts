import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { CloudflareWebhookGuard } from './cloudflare-webhook.guard';
import { CloudflareLiveWebhookDto, CloudflareWebhookResultDto } from './cloudflare-webhook.schemas';
import { CloudflareWebhooksService } from './cloudflare-webhooks.service';

/** Where Cloudflare Notifications (Stream live input events) are delivered. */
@ApiTags('cloudflare')
@UseGuards(CloudflareWebhookGuard)
@Controller('api/cloudflare')
export class CloudflareWebhooksController {
  constructor(private readonly webhooks: CloudflareWebhooksService) {}

  @Post('webhooks')
  @HttpCode(200)
  @ZodResponse({ status: 200, type: CloudflareWebhookResultDto })
  async receive(@Body() body: CloudflareLiveWebhookDto) {
    return { received: true as const, outcome: await this.webhooks.handle(body) };
  }
}
