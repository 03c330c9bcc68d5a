// The operations of an OpenAPI 3 document (the api's GET /docs/json, written by @fastify/swagger
// from the route schemas): method, path template, parameters with their schemas, JSON body schema.
import type { JsonSchema } from './schema-values.js';

export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** Upper case. */
  method: string;
  /** The template as documented: `/api/records/{did}`. */
  path: string;
  parameters: OperationParameter[];
  /** The application/json request body's schema, when the operation takes one. */
  body?: JsonSchema;
  /** The body is required. */
  bodyRequired: boolean;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

interface RawOperation {
  parameters?: Array<{ name: string; in: OperationParameter['in']; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

/** `METHOD /path` of an operation, the label its requests carry. */
export const operationLabel = (op: Pick<Operation, 'method' | 'path'>): string => `${op.method} ${op.path}`;

/** Every operation of `doc`, in document order; throws when it is not an OpenAPI document with paths. */
export function operationsOf(doc: unknown): Operation[] {
  const paths = (doc as { paths?: Record<string, Record<string, RawOperation>> } | null)?.paths;
  if (typeof paths !== 'object' || paths === null) throw new Error('not an OpenAPI document: no paths');
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const json = raw.requestBody?.content?.['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: (raw.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required === true || p.in === 'path',
          schema: p.schema ?? {},
        })),
        ...(json ? { body: json } : {}),
        bodyRequired: raw.requestBody?.required === true,
      });
    }
  }
  if (out.length === 0) throw new Error('the OpenAPI document lists no operations');
  return out;
}

/** The path template's pieces: literal segments as strings, parameters as `{ param }`. */
export function templateSegments(path: string): Array<string | { param: string }> {
  return path
    .split('/')
    .slice(1)
    .map((s) => {
      const m = /^\{(.+)\}$/.exec(s);
      return m ? { param: m[1]! } : s;
    });
}
