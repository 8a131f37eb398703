import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import { HostileInputGuard } from './common/hostile-input.guard';
import { fixNullableShorthandDeep } from './common/zod-dto';
import type { AppConfig } from './config/config.schema';

export function buildOpenApiDocument(app: NestExpressApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Glasses restream service')
    .setDescription('Managed streams of smart-glasses cameras, restreamed to YouTube, Twitch and any RTMP(S) destination.')
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'apiKey')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-relay-token' }, 'relayToken')
    .build();
  return fixNullableShorthandDeep(cleanupOpenApiDoc(SwaggerModule.createDocument(app, config)));
}

export interface CreateAppOptions {
  /** Where log lines go (stdout by default); tests read them to prove no secret is logged. */
  logDestination?: NodeJS.WritableStream;
}

/** Builds the HTTP application (used by main and by the tests). */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.logDestination), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: config.BODY_LIMIT, extended: false });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.enableShutdownHooks();
  app.useGlobalGuards(new HostileInputGuard());
  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
