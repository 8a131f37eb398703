import { generateApiTypes, literal, OpenApiInput, typeNameOf, typeOf } from './api-types-generator';

describe('API types from the OpenAPI document', () => {
  it('names input DTOs *Input and output DTOs by their plain name', () => {
    expect(typeNameOf('CreateManagedStreamDto')).toBe('CreateManagedStreamInput');
    expect(typeNameOf('ManagedStreamResponseDto_Output')).toBe('ManagedStreamResponse');
    expect(typeNameOf('StreamEventDto_Output')).toBe('StreamEvent');
  });

  it('maps schemas to TypeScript types', () => {
    expect(typeOf({ type: 'string', nullable: true })).toBe('string | null');
    expect(typeOf({ type: 'integer' })).toBe('number');
    expect(typeOf({ enum: ['live', "it's"] })).toBe(`'live' | 'it\\'s'`);
    expect(typeOf({ type: 'array', items: { $ref: '#/components/schemas/StreamDestinationResponseDto_Output' } })).toBe(
      'Array<StreamDestinationResponse>',
    );
    expect(typeOf({ type: 'object', additionalProperties: {} })).toBe('Record<string, unknown>');
    expect(typeOf({ type: 'object', properties: { 'x-y': { type: 'boolean' }, a: { type: 'number' } }, required: ['a'] })).toBe(
      "{\n  'x-y'?: boolean;\n  a: number;\n}",
    );
    expect(literal('a\\b')).toBe("'a\\\\b'");
  });

  it('keeps only operations secured by an app key, with their parameters, body and response', () => {
    const document: OpenApiInput = {
      paths: {
        '/api/things/{id}': {
          patch: {
            operationId: 'ThingsController_update',
            security: [{ apiKey: [] }],
            parameters: [
              { in: 'path', name: 'id', required: true, schema: { type: 'string' } },
              { in: 'query', name: 'dryRun', required: false, schema: { type: 'boolean' } },
            ],
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/UpdateThingDto' } } } },
            responses: {
              '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingDto_Output' } } } },
            },
          },
          delete: { security: [{ apiKey: [] }], responses: { '204': {} } },
        },
        '/api/relay-only': { post: { security: [{ relayToken: [] }], responses: { '200': {} } } },
      },
      components: {
        schemas: {
          UpdateThingDto: { type: 'object', properties: { name: { type: 'string' } } },
          ThingDto_Output: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          RelayOnlyDto: { type: 'object', properties: { secret: { type: 'string' } } },
        },
      },
    };
    const source = generateApiTypes(document);
    expect(source).toContain('export interface UpdateThingInput {\n  name?: string;\n}');
    expect(source).toContain('export interface Thing {\n  id: string;\n}');
    expect(source).not.toContain('RelayOnly');
    expect(source).not.toContain('/api/relay-only');
    expect(source).toContain(
      "  'PATCH /api/things/{id}': {\n    path: {\n      id: string;\n    };\n    query: {\n      dryRun?: boolean;\n    };\n" +
        '    body: UpdateThingInput;\n    status: 200;\n    response: Thing;\n  };',
    );
    expect(source).toContain("  'DELETE /api/things/{id}': {\n    path: Record<string, never>;");
  });
});
