import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { sha256Hex } from '../../common/crypto/secret-hash';
import { REDIS } from '../../redis/redis.module';
import type { FailureCount } from './login-throttle';

export const LOGIN_WINDOW_MS = 15 * 60_000;

/** Failed sign-in counters in Redis, shared by every API process; each key's window starts at its first failure. */
@Injectable()
export class LoginAttemptsStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Keys for one attempt: the client address and the username tried (hashed: any text may be typed there). */
  keysFor(clientIp: string, username: string): string[] {
    return [
      `restream:admin:login-failures:ip:${clientIp}`,
      `restream:admin:login-failures:user:${sha256Hex(username.trim().toLowerCase())}`,
    ];
  }

  async counts(keys: readonly string[]): Promise<FailureCount[]> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.get(key).pttl(key);
    const replies = (await pipeline.exec()) ?? [];
    return keys.map((_key, index) => ({
      count: Number(replies[index * 2]?.[1] ?? 0) || 0,
      ttlMs: Number(replies[index * 2 + 1]?.[1] ?? -2),
    }));
  }

  async recordFailure(keys: readonly string[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.incr(key).pexpire(key, LOGIN_WINDOW_MS, 'NX');
    await pipeline.exec();
  }

  async clear(keys: readonly string[]): Promise<void> {
    await this.redis.del(...keys);
  }
}
