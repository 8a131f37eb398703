import { fixNullableShorthand, fixNullableShorthandDeep } from './zod-dto';

describe('nullable shorthand in OpenAPI metadata', () => {
  it('turns type ["string", "null"] into a nullable string and drops the empty-type flag', () => {
    expect(
      fixNullableShorthand({
        hlsUrl: { type: ['string', 'null'], required: true, 'x-nestjs_zod-empty-type': true },
        name: { type: 'string', required: true },
      }),
    ).toEqual({ hlsUrl: { type: 'string', nullable: true, required: true }, name: { type: 'string', required: true } });
  });

  it('leaves unions of two real types alone', () => {
    const union = { type: ['string', 'number'] };
    expect(fixNullableShorthand({ value: union })).toEqual({ value: union });
  });

  it('rewrites nested schemas and arrays of schemas', () => {
    expect(
      fixNullableShorthandDeep({
        properties: { stats: { properties: { fps: { type: ['number', 'null'] } } } },
        anyOf: [{ type: ['integer', 'null'] }],
      }),
    ).toEqual({
      properties: { stats: { properties: { fps: { type: 'number', nullable: true } } } },
      anyOf: [{ type: 'integer', nullable: true }],
    });
  });
});
