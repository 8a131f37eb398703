import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { sha256Hex } from '../../common/crypto/secret-hash';
import { REDIS } from '../../redis/redis.module';

const sessionSchema = z.object({
  username: z.string(),
  csrfToken: z.string(),
  createdAt: z.string(),
  /** Which admin credentials signed it in: changing the password or username ends older sessions. */
  credentials: z.string(),
});
export type AdminSession = z.infer<typeof sessionSchema>;

/**
 * Dashboard sessions in Redis with a fixed lifetime. Keyed by a hash of the cookie value, so
 * reading Redis does not hand out live sessions.
 */
@Injectable()
export class AdminSessionsStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async save(sessionId: string, session: AdminSession, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key(sessionId), JSON.stringify(session), 'EX', ttlSeconds);
  }

  async find(sessionId: string): Promise<AdminSession | null> {
    const raw = await this.redis.get(this.key(sessionId));
    if (raw === null) return null;
    try {
      const parsed = sessionSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async delete(sessionId: string): Promise<void> {
    await this.redis.del(this.key(sessionId));
  }

  private key(sessionId: string): string {
    return `restream:admin:session:${sha256Hex(sessionId)}`;
  }
}
