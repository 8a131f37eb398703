import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { ApiOperation, OpenApiDocument, OpenApiSchema } from './openapi-document';

export interface ValidationIssue {
  /** Dotted path of the offending field (`recording.mode`), or the parameter name. */
  field: string;
  message: string;
}

interface OperationValidators {
  path: ValidateFunction;
  query: ValidateFunction;
  body?: ValidateFunction;
  knownQuery: Set<string>;
}

const COMPONENTS_ID = 'cloudflare-stream-components';

/**
 * Compiles, once, a validator for the path parameters, the query and the body of every operation.
 * OpenAPI 3.0 specifics: `nullable` is an Ajv keyword already; `$ref`s point into the components,
 * which are registered as one schema; `example` and `x-*` annotations are ignored; formats the
 * document uses that ajv-formats does not know are accepted as free text.
 */
export class RequestValidator {
  private readonly byOperation = new Map<string, OperationValidators>();

  constructor(document: OpenApiDocument, operations: ApiOperation[]) {
    // Query and path values arrive as text: coercion turns "true" into true before the check.
    const forParameters = createAjv(document, true);
    const forBodies = createAjv(document, false);
    for (const operation of operations) {
      const pathParameters = operation.parameters.filter((p) => p.in === 'path');
      const queryParameters = operation.parameters.filter((p) => p.in === 'query');
      this.byOperation.set(operation.operationId, {
        path: forParameters.compile(objectOf(pathParameters)),
        query: forParameters.compile(objectOf(queryParameters)),
        body: operation.bodySchema ? forBodies.compile(withComponentBase(operation.bodySchema)) : undefined,
        knownQuery: new Set(queryParameters.map((p) => p.name)),
      });
    }
  }

  /** Validates path and query parameters; coerces query values in place (`"true"` → `true`). */
  validateParameters(operationId: string, pathParams: Record<string, string>, query: Record<string, unknown>): ValidationIssue[] {
    const validators = this.validatorsOf(operationId);
    const issues: ValidationIssue[] = [];
    if (!validators.path(pathParams)) issues.push(...toIssues(validators.path.errors));
    if (!validators.query(query)) issues.push(...toIssues(validators.query.errors));
    return issues;
  }

  unknownQueryParameters(operationId: string, query: Record<string, unknown>): string[] {
    const { knownQuery } = this.validatorsOf(operationId);
    return Object.keys(query).filter((name) => !knownQuery.has(name));
  }

  hasBodySchema(operationId: string): boolean {
    return this.validatorsOf(operationId).body !== undefined;
  }

  validateBody(operationId: string, body: unknown): ValidationIssue[] {
    const validate = this.validatorsOf(operationId).body;
    if (!validate || validate(body)) return [];
    return toIssues(validate.errors);
  }

  private validatorsOf(operationId: string): OperationValidators {
    const validators = this.byOperation.get(operationId);
    if (!validators) throw new Error(`No validators for operation ${operationId}`);
    return validators;
  }
}

function createAjv(document: OpenApiDocument, coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes });
  addFormats(ajv);
  for (const format of formatsUsedIn(document.components.schemas)) {
    if (!ajv.formats[format]) ajv.addFormat(format, true);
  }
  ajv.addSchema({ $id: COMPONENTS_ID, components: document.components });
  return ajv;
}

function formatsUsedIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => formatsUsedIn(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'format' && typeof value === 'string') found.add(value);
      else formatsUsedIn(value, found);
    }
  }
  return found;
}

/** Rewrites local `#/components/...` references so they resolve against the registered components. */
function withComponentBase(schema: OpenApiSchema): OpenApiSchema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${COMPONENTS_ID}#/components/`)) as OpenApiSchema;
}

function objectOf(parameters: { name: string; required?: boolean; schema: OpenApiSchema }[]): OpenApiSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, withComponentBase(p.schema)])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
  };
}

function toIssues(errors: ErrorObject[] | null | undefined): ValidationIssue[] {
  const issues = (errors ?? []).map((error) => {
    const segments = error.instancePath.split('/').filter(Boolean);
    if (error.keyword === 'required') segments.push(String((error.params as { missingProperty: string }).missingProperty));
    const field = segments.join('.') || '(body)';
    return { field, message: `${field}: ${describe(error)}` };
  });
  const seen = new Set<string>();
  return issues.filter((issue) => !seen.has(issue.message) && seen.add(issue.message));
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be of type ${String((error.params as { type: string | string[] }).type)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** A validator for one component schema (tests check the stand-in's own answers against the response shapes). */
export function compileComponentValidator(document: OpenApiDocument, name: string): ValidateFunction {
  return createAjv(document, false).compile({ $ref: `${COMPONENTS_ID}#/components/schemas/${name}` });
}
