import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A JSON schema as the OpenAPI 3.0 document writes it (with `nullable`, `example`, `x-*`). */
export type OpenApiSchema = Record<string, unknown>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface OpenApiParameter {
  in: 'path' | 'query';
  name: string;
  required?: boolean;
  schema: OpenApiSchema;
}

/** One operation of the API, flattened out of the document's `paths`. */
export interface ApiOperation {
  operationId: string;
  method: HttpMethod;
  /** Path template relative to the v4 base, e.g. `/accounts/{account_id}/stream/live_inputs`. */
  pathTemplate: string;
  parameters: OpenApiParameter[];
  /** The body schema when the operation declares one with a schema. */
  bodySchema?: OpenApiSchema;
}

interface RawOperation {
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: OpenApiSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Partial<Record<Lowercase<HttpMethod>, RawOperation>>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

export const OPENAPI_FIXTURE_PATH = path.join(__dirname, '..', 'fixtures', 'cloudflare', 'stream-live-inputs.openapi.json');

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];

export function loadOpenApiDocument(file = OPENAPI_FIXTURE_PATH): OpenApiDocument {
  return JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}

export function schemaRef(name: string): OpenApiSchema {
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * `GET /accounts/{account_id}/stream` (the SDK's `client.stream.list`) is not part of the live-input
 * extract; its query parameters come from the `cloudflare` SDK's `StreamListParams`, the value
 * schemas from the extract's components.
 */
export const STREAM_LIST_OPERATION: ApiOperation = {
  operationId: 'stand-in-stream-list-videos',
  method: 'GET',
  pathTemplate: '/accounts/{account_id}/stream',
  parameters: [
    { in: 'path', name: 'account_id', required: true, schema: schemaRef('stream_schemas-identifier') },
    { in: 'query', name: 'live_input_id', schema: schemaRef('stream_liveInput') },
    { in: 'query', name: 'status', schema: schemaRef('stream_media_state') },
    { in: 'query', name: 'asc', schema: { type: 'boolean' } },
    { in: 'query', name: 'include_counts', schema: schemaRef('stream_include_counts') },
    { in: 'query', name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
    // "Lists videos created after / before the specified date" (RFC 3339): how a client pages.
    { in: 'query', name: 'after', schema: { type: 'string', format: 'date-time' } },
    { in: 'query', name: 'before', schema: { type: 'string', format: 'date-time' } },
  ],
};

/** Every operation of the document, plus the video list the SDK reaches outside the extract. */
export function listOperations(document: OpenApiDocument): ApiOperation[] {
  const operations: ApiOperation[] = [];
  for (const [pathTemplate, byMethod] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const raw = byMethod[method.toLowerCase() as Lowercase<HttpMethod>];
      if (!raw) continue;
      operations.push({
        operationId: raw.operationId,
        method,
        pathTemplate,
        parameters: raw.parameters ?? [],
        bodySchema: raw.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return [...operations, STREAM_LIST_OPERATION];
}
