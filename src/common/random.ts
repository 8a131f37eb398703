import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';

/** Source of identifiers and secrets; injectable so tests can make them predictable. */
@Injectable()
export class Random {
  /** 128 bits or more, URL- and path-safe. */
  token(bytes = 16): string {
    return randomBytes(bytes).toString('base64url');
  }

  id(prefix: string): string {
    return `${prefix}_${randomBytes(16).toString('base64url')}`;
  }

  uuid(): string {
    return randomUUID();
  }

  /** Uniform in [0, 1): jitter, not secrets. */
  unit(): number {
    return Math.random();
  }
}
