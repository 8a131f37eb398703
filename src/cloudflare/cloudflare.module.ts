import { Module } from '@nestjs/common';
import { CloudflareApiBudget } from './cloudflare-api-budget';
import { CloudflareCircuitBreaker } from './cloudflare-circuit-breaker';
import { CloudflareStreamClient } from './cloudflare-stream.client';

/** Talking to Cloudflare Stream: the SDK behind a shared call budget and circuit breaker. */
@Module({
  providers: [CloudflareApiBudget, CloudflareCircuitBreaker, CloudflareStreamClient],
  exports: [CloudflareApiBudget, CloudflareCircuitBreaker, CloudflareStreamClient],
})
export class CloudflareModule {}
