/**
 * Strings Postgres or a log line cannot carry faithfully: a NUL byte (Postgres refuses the whole
 * query, "invalid byte sequence for encoding UTF8: 0x00") and an unpaired UTF-16 surrogate (turned
 * into U+FFFD on the way out, so what is stored is not what was sent). Refused at the edge with a
 * 400 naming where, instead of by each field's schema.
 */

export type HostileProblem = 'a NUL byte' | 'an unpaired UTF-16 surrogate';

export interface HostileString {
  /** Where the string sits, for the client: `path parameter "streamId"`, `body field "a.0.url"`. */
  where: string;
  problem: HostileProblem;
}

/** The parts of a request the service reads; headers are limited to the ones it uses. */
export interface InspectedRequest {
  params?: unknown;
  query?: unknown;
  body?: unknown;
  headers?: Record<string, string | string[] | undefined>;
}

/** Headers that reach the database, Redis or a log: credentials, resume points, session and CSRF. */
export const INSPECTED_HEADERS = [
  'authorization',
  'x-api-key',
  'x-relay-token',
  'last-event-id',
  'cookie',
  'x-csrf-token',
  'cf-webhook-auth',
] as const;

// In a `u` regex a well-formed pair is one code point, so \p{Cs} matches only a lone half.
const LONE_SURROGATE = /\p{Cs}/u;

export function stringProblem(value: string): HostileProblem | null {
  if (value.includes('\u0000')) return 'a NUL byte';
  if (LONE_SURROGATE.test(value)) return 'an unpaired UTF-16 surrogate';
  return null;
}

const SECTIONS = [
  ['params', 'path parameter', 'the path'],
  ['query', 'query parameter', 'the query'],
  ['body', 'body field', 'the body'],
] as const;

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

const MAX_PATH_SHOWN = 200;

function pathOf(visit: Visit): string[] {
  const path: string[] = [];
  for (let at: Visit | null = visit; at?.key != null; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * The first hostile string in values and keys, depth first. Iterative and linear (each entry
 * points to its parent; the path is built only for the answer), so a body nested thousands of
 * levels deep, which JSON.parse accepts, costs neither stack nor quadratic time.
 */
function findIn(root: unknown, label: string, whole: string): HostileString | null {
  const where = (path: string[]) => {
    if (path.length === 0) return whole;
    const dotted = path.join('.');
    return `${label} "${dotted.length > MAX_PATH_SHOWN ? `${dotted.slice(0, MAX_PATH_SHOWN)}…` : dotted}"`;
  };
  const stack: Visit[] = [{ value: root, key: null, parent: null }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { value } = visit;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) return { where: where(pathOf(visit)), problem };
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const problem = stringProblem(key);
        if (problem) return { where: `a key in ${where(pathOf(visit))}`, problem };
        stack.push({ value: item, key, parent: visit });
      }
    }
  }
  return null;
}

/** Pure: where the request carries a string the service must not accept, or null. */
export function findHostileString(request: InspectedRequest): HostileString | null {
  for (const [section, label, whole] of SECTIONS) {
    const found = findIn(request[section], label, whole);
    if (found) return found;
  }
  for (const name of INSPECTED_HEADERS) {
    const value = request.headers?.[name];
    const text = Array.isArray(value) ? value.join(', ') : value;
    const problem = text === undefined ? null : stringProblem(text);
    if (problem) return { where: `header "${name}"`, problem };
  }
  return null;
}
