import { Module } from '@nestjs/common';
import { CloudflareApiBudget } from './cloudflare-api-budget';
import { CloudflareCarrier } from './cloudflare-carrier';
import { CloudflareCircuitBreaker } from './cloudflare-circuit-breaker';
import { CloudflareStreamClient } from './cloudflare-stream.client';

/** Talking to Cloudflare Stream: the SDK behind a shared call budget and circuit breaker. */
@Module({
  providers: [CloudflareApiBudget, CloudflareCircuitBreaker, CloudflareStreamClient, CloudflareCarrier],
  exports: [CloudflareApiBudget, CloudflareCircuitBreaker, CloudflareStreamClient, CloudflareCarrier],
})
export class CloudflareModule {}
