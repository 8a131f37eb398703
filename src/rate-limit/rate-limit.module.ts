import { Global, Module } from '@nestjs/common';
import { AppRateLimiter } from './app-rate-limiter';

/** Global because every module with app-facing controllers uses the API key guard, which limits. */
@Global()
@Module({ providers: [AppRateLimiter], exports: [AppRateLimiter] })
export class RateLimitModule {}
