import type { ApiOperation } from './openapi-document';

/** The SDK's default base URL is `https://api.cloudflare.com/client/v4`: paths sit under this prefix. */
export const API_PREFIX = '/client/v4';

export type RouteMatch =
  | { kind: 'operation'; operation: ApiOperation; pathParams: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'no-route' };

interface CompiledRoute {
  operation: ApiOperation;
  pattern: RegExp;
  names: string[];
}

/** Matches a request path (with the `/client/v4` prefix) to an operation of the schema. */
export class RouteTable {
  private readonly routes: CompiledRoute[];

  constructor(operations: ApiOperation[]) {
    this.routes = operations.map((operation) => {
      const names: string[] = [];
      const source = operation.pathTemplate
        .split('/')
        .map((segment) => {
          const name = /^\{(.+)\}$/.exec(segment)?.[1];
          if (!name) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(name);
          return '([^/]*)';
        })
        .join('/');
      return { operation, names, pattern: new RegExp(`^${API_PREFIX}${source}/?$`) };
    });
  }

  match(method: string, path: string): RouteMatch {
    let pathKnown = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathKnown = true;
      if (route.operation.method !== method) continue;
      const pathParams = Object.fromEntries(route.names.map((name, i) => [name, safeDecode(found[i + 1])]));
      return { kind: 'operation', operation: route.operation, pathParams };
    }
    return pathKnown ? { kind: 'method-not-allowed' } : { kind: 'no-route' };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
