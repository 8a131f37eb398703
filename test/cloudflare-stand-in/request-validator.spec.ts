import type { ApiOperation, OpenApiDocument } from './openapi-document';
import { compileComponentValidator, RequestValidator } from './request-validator';

/** A small OpenAPI 3.0 document with the constructs of Cloudflare's: nullable, $ref, allOf, an unknown format. */
const document: OpenApiDocument = {
  paths: {},
  components: {
    schemas: {
      days: { type: 'number', minimum: 30, nullable: true, example: 45, 'x-source': 'docs' },
      mode: { type: 'string', enum: ['off', 'automatic'] },
      fingerprint: { type: 'string', format: 'cloudflare-fingerprint' },
      base: { type: 'object', properties: { mode: { $ref: '#/components/schemas/mode' } }, required: ['mode'] },
      body: {
        allOf: [{ $ref: '#/components/schemas/base' }],
        properties: { days: { $ref: '#/components/schemas/days' }, fingerprint: { $ref: '#/components/schemas/fingerprint' } },
      },
      id: { type: 'string', maxLength: 32 },
    },
  },
};

const operation: ApiOperation = {
  operationId: 'create',
  method: 'POST',
  pathTemplate: '/things/{id}',
  parameters: [
    { in: 'path', name: 'id', required: true, schema: { $ref: '#/components/schemas/id' } },
    { in: 'query', name: 'include_counts', schema: { type: 'boolean' } },
  ],
  bodySchema: { $ref: '#/components/schemas/body' },
};

describe('RequestValidator (OpenAPI 3.0 to Ajv)', () => {
  const validator = new RequestValidator(document, [operation]);

  it('accepts null where the schema says nullable and follows $ref and allOf', () => {
    expect(validator.validateBody('create', { mode: 'off', days: null, fingerprint: 'anything' })).toEqual([]);
    expect(validator.validateBody('create', { days: 10 })).toEqual([
      { field: 'mode', message: 'mode: is required' },
      { field: 'days', message: 'days: must be >= 30' },
    ]);
    expect(validator.validateBody('create', { mode: 'manual' })).toEqual([
      { field: 'mode', message: 'mode: must be one of "off", "automatic"' },
    ]);
  });

  it('validates path parameters and coerces query values', () => {
    const query: Record<string, unknown> = { include_counts: 'true' };
    expect(validator.validateParameters('create', { id: 'abc' }, query)).toEqual([]);
    expect(query.include_counts).toBe(true);
    expect(validator.validateParameters('create', { id: 'x'.repeat(33) }, { include_counts: 'maybe' })).toEqual([
      { field: 'id', message: 'id: must NOT have more than 32 characters' },
      { field: 'include_counts', message: 'include_counts: must be of type boolean' },
    ]);
    expect(validator.unknownQueryParameters('create', { include_counts: true, search: 'x' })).toEqual(['search']);
  });

  it('compiles a component on its own for checking answers', () => {
    const validate = compileComponentValidator(document, 'body');
    expect(validate({ mode: 'automatic', days: 31 })).toBe(true);
    expect(validate({ mode: 'automatic', days: '31' })).toBe(false);
  });
});
