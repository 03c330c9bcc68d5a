// @elastic/elasticsearch-mock wiring that records every request the adapter sends.
import { createRequire } from 'node:module';
import { Client } from '@elastic/elasticsearch';
import type * as EsModule from '@elastic/elasticsearch';
import type * as MockModule from '@elastic/elasticsearch-mock';
import { recordsIndexMappings } from '../legacy-mapping.js';

export interface SeenRequest {
  method: string;
  path: string;
  querystring: Record<string, unknown>;
  body: unknown;
}

export interface EsMock {
  mock: Mock;
  client: Client;
  seen: SeenRequest[];
  /** Requests other than the index bootstrap (HEAD index, GET mapping and settings). */
  calls(): SeenRequest[];
}

// The mock recognises error responses by `instanceof` against the CommonJS build of the
// client; the ESM import's classes come from another module instance, so build them from CJS.
const require = createRequire(import.meta.url);
const cjs = require('@elastic/elasticsearch') as typeof EsModule;
// A CommonJS module whose export is the class itself.
type Mock = MockModule.default;
const Mock = require('@elastic/elasticsearch-mock') as new () => Mock;

/** An error response the mock turns into an HTTP status with this body. */
export function esResponseError(statusCode: number, body: unknown): Error {
  return new cjs.errors.ResponseError({ body, statusCode, headers: {}, warnings: null, meta: {} as never });
}

/** An ES error body: `{ error: { type, reason }, status }`. */
export function esErrorBody(statusCode: number, type: string): unknown {
  return {
    error: { type, reason: `${type} happened`, root_cause: [{ type, reason: `${type} happened` }] },
    status: statusCode,
  };
}

type Resolver = (params: SeenRequest) => unknown;

/** A mock with the index already present and the legacy mapping returned by GET _mapping. */
export function createEsMock(
  mapping: Record<string, unknown> = recordsIndexMappings.properties,
  indexExists = true,
  settings: Record<string, string> = {},
): EsMock {
  const mock = new Mock();
  const client = new Client({
    node: 'http://localhost:9200',
    Connection: mock.getConnection() as never,
    maxRetries: 0,
  });
  const seen: SeenRequest[] = [];
  const add = mock.add.bind(mock);
  // Record every request, whatever route answers it.
  const wrapped = new WeakSet<Resolver>();
  // mock.add() calls itself once per method for method arrays: wrap only once.
  mock.add = ((pattern: Parameters<Mock['add']>[0], fn: Resolver) => {
    if (wrapped.has(fn)) return add(pattern, fn as never);
    const recorder: Resolver = (params) => {
      seen.push(params);
      return fn(params);
    };
    wrapped.add(recorder);
    return add(pattern, recorder as never);
  }) as Mock['add'];
  if (indexExists) mock.add({ method: 'HEAD', path: '/records' }, () => '');
  mock.add({ method: 'GET', path: '/records/_mapping' }, () => ({ records: { mappings: { properties: mapping } } }));
  mock.add({ method: 'GET', path: '/records/_settings' }, () => ({
    records: { settings: { 'index.number_of_shards': '1', ...settings } },
  }));
  return {
    mock,
    client,
    seen,
    calls: () =>
      seen.filter((r) => !(r.method === 'HEAD' || r.path.endsWith('/_mapping') || r.path.endsWith('/_settings'))),
  };
}
