import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { openApiArtefacts, OPENAPI_FILE } from '../../src/openapi/openapi-artefacts';
import { serializeOpenApiDocument } from '../../src/openapi/openapi-document';
import { startTestApp, TestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');

function committed(file: string): string | null {
  try {
    return readFileSync(path.join(ROOT, file), 'utf8');
  } catch {
    return null;
  }
}

describe('OpenAPI document and client types (npm run openapi:generate)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('the committed files are what the app produces now', async () => {
    const stale = (await openApiArtefacts()).filter(({ file, content }) => committed(file) !== content).map(({ file }) => file);
    expect(stale.length === 0 ? 'up to date' : `${stale.join(' and ')} differ from the app: run npm run openapi:generate`).toBe(
      'up to date',
    );
  });

  it('the document built without Postgres and Redis is the one the running app serves', async () => {
    const served = await request(testApp.app.getHttpServer()).get('/api/docs/openapi.json').expect(200);
    const offline = (await openApiArtefacts()).find((artefact) => artefact.file === OPENAPI_FILE);
    expect(serializeOpenApiDocument(served.body)).toBe(offline?.content);
  });

  it('describes nullable fields as nullable, not as arrays', () => {
    const document = JSON.parse(committed(OPENAPI_FILE) ?? '{}');
    const stream = document.components.schemas.ManagedStreamResponseDto_Output.properties;
    expect(stream.ingestUrl).toMatchObject({ type: 'string', nullable: true });
    expect(stream.stats.properties.fps).toEqual({ type: 'number', nullable: true });
  });
});
