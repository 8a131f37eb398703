import { generateApiTypes, OpenApiInput } from './api-types-generator';
import { createOpenApiDocument, serializeOpenApiDocument } from './openapi-document';

export interface Artefact {
  /** Relative to the repository root. */
  file: string;
  content: string;
}

export const OPENAPI_FILE = 'openapi.json';
export const CLIENT_API_TYPES_FILE = 'client/src/generated/api.ts';

/** What `npm run openapi:generate` writes and the drift test compares: the document and the client's types. */
export async function openApiArtefacts(): Promise<Artefact[]> {
  const document = serializeOpenApiDocument(await createOpenApiDocument());
  const types = generateApiTypes(JSON.parse(document) as OpenApiInput);
  return [
    { file: OPENAPI_FILE, content: document },
    { file: CLIENT_API_TYPES_FILE, content: types },
  ];
}
