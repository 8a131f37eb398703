import { createZodDto as createNestZodDto } from 'nestjs-zod';

type PropertyMetadata = Record<string, unknown>;
type MetadataFactory = () => Record<string, PropertyMetadata>;
interface SwaggerDto {
  _OPENAPI_METADATA_FACTORY: MetadataFactory;
  Output?: SwaggerDto;
}

/**
 * zod >= 4.5 writes a nullable primitive as `type: ["string", "null"]`, and @nestjs/swagger reads a
 * property whose `type` is an array as an array of that type (nestjs-zod issues #473/#474): the
 * document said `ingestUrl: string[]`. Rewritten here to OpenAPI 3.0's `type` + `nullable`.
 */
export function fixNullableShorthand(properties: Record<string, PropertyMetadata>): Record<string, PropertyMetadata> {
  return Object.fromEntries(
    Object.entries(properties).map(([key, property]) => {
      const type = property.type;
      if (!Array.isArray(type) || !type.includes('null') || type.length !== 2) return [key, property];
      const fixed: PropertyMetadata = { ...property, type: type.find((item) => item !== 'null'), nullable: true };
      // nestjs-zod flags a non-string type to restore it later; the type is a plain string now.
      for (const flag of Object.keys(fixed).filter((name) => name.endsWith('-empty-type'))) delete fixed[flag];
      return [key, fixed];
    }),
  );
}

function patchFactory(dto: SwaggerDto): void {
  const original = dto._OPENAPI_METADATA_FACTORY.bind(dto);
  dto._OPENAPI_METADATA_FACTORY = () => fixNullableShorthand(original());
}

/** nestjs-zod's createZodDto, with a correct OpenAPI shape for nullable fields (input and output). */
export const createZodDto = ((...args: Parameters<typeof createNestZodDto>) => {
  const dto = createNestZodDto(...args);
  patchFactory(dto as unknown as SwaggerDto);
  const outputDescriptor: { get?: (this: unknown) => unknown } | undefined = Object.getOwnPropertyDescriptor(dto, 'Output');
  const getOutput = outputDescriptor?.get;
  if (getOutput) {
    Object.defineProperty(dto, 'Output', {
      configurable: true,
      get(this: unknown) {
        const outputDto = getOutput.call(this) as SwaggerDto;
        patchFactory(outputDto);
        return outputDto;
      },
    });
  }
  return dto;
}) as typeof createNestZodDto;

/** The same rewrite for nested schemas, which reach the document untouched by @nestjs/swagger. */
export function fixNullableShorthandDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => fixNullableShorthandDeep(item)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([key, item]) => [key, fixNullableShorthandDeep(item)] as const);
  const fixed: Record<string, unknown> = Object.fromEntries(entries);
  const type = fixed.type;
  if (Array.isArray(type) && type.length === 2 && type.includes('null')) {
    fixed.type = type.find((item) => item !== 'null');
    fixed.nullable = true;
  }
  return fixed as T;
}
