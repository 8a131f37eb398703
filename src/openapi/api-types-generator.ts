/**
 * Turns the OpenAPI document into the TypeScript types the SDK client compiles against: one type per
 * schema an app-facing operation uses, and `ApiOperations`, keyed `"METHOD /path"`, with each
 * operation's path and query parameters, body and response. The client's calls are typed by that
 * map, so an endpoint that moves or changes shape breaks the client's compilation.
 */

export interface JsonSchema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
  security?: Record<string, string[]>[];
}

export interface OpenApiInput {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** `ManagedStreamResponseDto_Output` → `ManagedStreamResponse`; `CreateManagedStreamDto` → `CreateManagedStreamInput`. */
export function typeNameOf(schemaName: string): string {
  if (schemaName.endsWith('_Output')) return schemaName.replace(/_Output$/, '').replace(/Dto$/, '');
  return schemaName.endsWith('Dto') ? schemaName.replace(/Dto$/, 'Input') : schemaName;
}

function refName(ref: string): string {
  return ref.replace('#/components/schemas/', '');
}

/** A TypeScript literal in the house style (single quotes). */
export function literal(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : literal(key);
}

function docComment(text: string | undefined, indent: string): string {
  return text ? `${indent}/** ${text.replace(/\*\//g, '* /')} */\n` : '';
}

/** The TypeScript type of a schema (objects inline, named schemas by reference). */
export function typeOf(schema: JsonSchema | undefined, indent = ''): string {
  if (!schema) return 'unknown';
  const base = baseTypeOf(schema, indent);
  return schema.nullable && base !== 'unknown' ? `${base} | null` : base;
}

function baseTypeOf(schema: JsonSchema, indent: string): string {
  if (schema.$ref) return typeNameOf(refName(schema.$ref));
  if (schema.enum) return schema.enum.map(literal).join(' | ');
  if (schema.allOf) return schema.allOf.map((part) => wrap(typeOf(part, indent))).join(' & ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((part) => wrap(typeOf(part, indent))).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `Array<${typeOf(schema.items, indent)}>`;
    case 'object':
      return objectTypeOf(schema, indent);
    default:
      return 'unknown';
  }
}

function wrap(type: string): string {
  return type.includes(' | ') || type.includes(' & ') ? `(${type})` : type;
}

function objectTypeOf(schema: JsonSchema, indent: string): string {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) {
    const extra = schema.additionalProperties;
    return extra === undefined || extra === false
      ? 'Record<string, never>'
      : `Record<string, ${extra === true ? 'unknown' : typeOf(extra, indent)}>`;
  }
  const required = new Set(schema.required ?? []);
  const inner = `${indent}  `;
  const lines = properties.map(
    ([key, property]) =>
      `${docComment(property.description, inner)}${inner}${propertyKey(key)}${required.has(key) ? '' : '?'}: ${typeOf(property, inner)};\n`,
  );
  return `{\n${lines.join('')}${indent}}`;
}

function collectRefs(schema: unknown, into: Set<string>): void {
  if (Array.isArray(schema)) return schema.forEach((item) => collectRefs(item, into));
  if (typeof schema !== 'object' || schema === null) return;
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') into.add(refName(value));
    else collectRefs(value, into);
  }
}

function bodySchema(operation: Operation): JsonSchema | undefined {
  return operation.requestBody?.content?.['application/json']?.schema;
}

function successResponse(operation: Operation): { status: string; schema?: JsonSchema } | undefined {
  const status = Object.keys(operation.responses ?? {})
    .filter((code) => /^2\d\d$/.test(code))
    .sort()[0];
  if (!status) return undefined;
  const content = operation.responses?.[status]?.content ?? {};
  const first = Object.values(content)[0];
  return { status, schema: first?.schema };
}

function parametersType(parameters: Parameter[], location: 'path' | 'query'): string {
  const selected = parameters.filter((parameter) => parameter.in === location);
  if (selected.length === 0) return 'Record<string, never>';
  return typeOf(
    {
      type: 'object',
      properties: Object.fromEntries(
        selected.map((p) => [p.name, { ...p.schema, description: p.description ?? p.schema?.description }]),
      ),
      required: selected.filter((p) => p.required).map((p) => p.name),
    },
    '    ',
  );
}

/** The app-facing operations: those secured by an app's API key. */
export function appOperations(document: OpenApiInput, securityScheme = 'apiKey'): { key: string; operation: Operation }[] {
  const operations: { key: string; operation: Operation }[] = [];
  for (const path of Object.keys(document.paths).sort()) {
    for (const method of METHODS) {
      const operation = document.paths[path][method];
      if (!operation?.security?.some((requirement) => securityScheme in requirement)) continue;
      operations.push({ key: `${method.toUpperCase()} ${path}`, operation });
    }
  }
  return operations;
}

export function generateApiTypes(document: OpenApiInput): string {
  const operations = appOperations(document);
  const schemas = document.components?.schemas ?? {};
  const used = new Set<string>();
  collectRefs(
    operations.map(({ operation }) => operation),
    used,
  );
  // Follow references from schema to schema until nothing new turns up.
  for (let size = -1; size !== used.size;) {
    size = used.size;
    for (const name of [...used]) collectRefs(schemas[name], used);
  }

  const out: string[] = [
    '// Generated by `npm run openapi:generate` from openapi.json (src/openapi/api-types-generator.ts): do not edit.\n',
  ];
  for (const name of [...used].sort()) {
    const schema = schemas[name];
    if (!schema) throw new Error(`openapi.json refers to a missing schema "${name}"`);
    const type = typeOf(schema);
    out.push(
      schema.type === 'object' && schema.properties && !schema.nullable
        ? `${docComment(schema.description, '')}export interface ${typeNameOf(name)} ${type}\n`
        : `${docComment(schema.description, '')}export type ${typeNameOf(name)} = ${type};\n`,
    );
  }

  const entries = operations.map(({ key, operation }) => {
    const parameters = operation.parameters ?? [];
    const body = bodySchema(operation);
    const success = successResponse(operation);
    const response = !success ? 'unknown' : success.schema ? typeOf(success.schema, '    ') : 'void';
    return (
      `  /** ${operation.operationId ?? key} */\n` +
      `  ${literal(key)}: {\n` +
      `    path: ${parametersType(parameters, 'path')};\n` +
      `    query: ${parametersType(parameters, 'query')};\n` +
      `    body: ${body ? typeOf(body, '    ') : 'undefined'};\n` +
      `    status: ${success ? success.status : 'number'};\n` +
      `    response: ${response};\n` +
      `  };\n`
    );
  });
  out.push(
    `/** Every app-facing operation, keyed "METHOD /path" as in openapi.json. */\nexport interface ApiOperations {\n${entries.join('')}}\n`,
  );
  return out.join('\n');
}
