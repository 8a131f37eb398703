import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../app.factory';
import { AppModule } from '../app.module';
import { parseConfig } from '../config/config.schema';

/**
 * A configuration that only has to parse: in preview mode Nest resolves the module graph and
 * reads the controllers' metadata without instantiating a provider, so nothing connects to it.
 */
const DOCUMENT_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  PROCESS_ROLE: 'all',
  DATABASE_URL: 'postgres://openapi@unused.invalid/openapi',
  REDIS_URL: 'redis://unused.invalid:6379',
  ENCRYPTION_KEYS: `doc:${Buffer.alloc(32).toString('base64')}`,
  PUBLISH_KEY_SECRET: 'x'.repeat(32),
  RELAY_TOKENS: 'y'.repeat(24),
};

/** The real application's OpenAPI document, built without Postgres, Redis or a listening socket. */
export async function createOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(parseConfig(DOCUMENT_ENV)), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** Recursively sorted keys, so the committed file changes only when the API does. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeysDeep((value as Record<string, unknown>)[key])]),
  );
}

export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(sortKeysDeep(document), null, 2)}\n`;
}
