// Maps Elasticsearch failures (request-level client errors and bulk item errors) onto the
// store's error classes. Classification is by name/type/status, not instanceof, so errors from
// another copy of the transport (e.g. the mock's) classify the same.
import {
  type StoreError,
  StoreInternalError,
  StoreInvalidError,
  StoreMappingError,
  StoreTimeoutError,
  StoreUnavailableError,
  StoreUpstreamError,
  isStoreError,
} from '../errors.js';
import { parseEsConflict } from './es-conflict.js';

/** ES error types that mean "this document can never fit the mapping". */
export const PERMANENT_MAPPING_TYPES: ReadonlySet<string> = new Set([
  'mapper_parsing_exception',
  'illegal_argument_exception',
  'document_parsing_exception',
  'strict_dynamic_mapping_exception',
]);

/** ES error types that mean "try again later". */
const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  'es_rejected_execution_exception',
  'circuit_breaking_exception',
  'unavailable_shards_exception',
  'no_shard_available_action_exception',
  'version_conflict_engine_exception',
  'cluster_block_exception',
  'process_cluster_event_timeout_exception',
  'node_not_connected_exception',
]);

const TRANSIENT_STATUS: ReadonlySet<number> = new Set([408, 409, 429, 502, 503, 504]);

export interface EsErrorCause {
  type?: string;
  reason?: string | null;
  caused_by?: EsErrorCause;
}

/** Shortened "type: reason" text, following caused_by one level for the useful detail. */
function describe(cause: EsErrorCause | undefined): string {
  if (cause === undefined) return 'unknown error';
  const head = `${cause.type ?? 'error'}: ${cause.reason ?? ''}`.trim();
  const inner = cause.caused_by;
  const text = inner === undefined ? head : `${head} (caused by ${inner.type ?? 'error'}: ${inner.reason ?? ''})`;
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/**
 * Maps one bulk item's `{ status, error }`. With the document that was sent, a mapping error
 * that names a field carries the structured conflict (es-conflict.ts).
 */
export function mapBulkItemError(status: number, error: EsErrorCause | undefined, doc?: unknown): StoreError {
  const type = error?.type ?? '';
  const message = describe(error);
  const details = { esType: type, status };
  if (PERMANENT_MAPPING_TYPES.has(type)) {
    const conflict = parseEsConflict(error, doc);
    return new StoreMappingError(
      message,
      conflict === null ? { details } : { details: { ...details, path: conflict.path }, conflict },
    );
  }
  if (type === 'timeout_exception' || status === 408) return new StoreTimeoutError(message, { details });
  if (TRANSIENT_TYPES.has(type) || TRANSIENT_STATUS.has(status)) return new StoreUnavailableError(message, { details });
  return new StoreUpstreamError(message, status < 500, { details });
}

interface ClientErrorShape {
  name?: string;
  message?: string;
  meta?: { statusCode?: number | null; body?: unknown };
}

/** Maps an error thrown by a client call; auth headers and request bodies are never copied. */
export function mapClientError(err: unknown, action: string): StoreError {
  if (isStoreError(err)) return err;
  const e = (err ?? {}) as ClientErrorShape;
  switch (e.name) {
    case 'TimeoutError':
      return new StoreTimeoutError(`${action}: Elasticsearch request timed out`, { cause: err });
    case 'ConnectionError':
    case 'NoLivingConnectionsError':
      return new StoreUnavailableError(`${action}: cannot reach Elasticsearch (${e.message ?? 'connection error'})`, {
        cause: err,
      });
    case 'RequestAbortedError':
      return new StoreUnavailableError(`${action}: request aborted (${e.message ?? ''})`, { cause: err });
    case 'ResponseError': {
      const status = e.meta?.statusCode ?? 0;
      const body = e.meta?.body as { error?: EsErrorCause | string } | undefined;
      const cause: EsErrorCause | undefined =
        typeof body?.error === 'string' ? { type: 'error', reason: body.error } : body?.error;
      const mapped = mapBulkItemError(status, cause);
      return rewrap(mapped, `${action}: ${mapped.message}`, err);
    }
    case 'ProductNotSupportedError':
    case 'ConfigurationError':
      return new StoreInvalidError(`${action}: ${e.message ?? 'bad Elasticsearch configuration'}`, { cause: err });
    default:
      return new StoreInternalError(`${action}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function rewrap(mapped: StoreError, message: string, cause: unknown): StoreError {
  const opts = { cause, details: mapped.details };
  switch (mapped.code) {
    case 'STORE_ERR_MAPPING':
      return new StoreMappingError(message, opts);
    case 'STORE_ERR_TIMEOUT':
      return new StoreTimeoutError(message, opts);
    case 'STORE_ERR_UNAVAILABLE':
      return new StoreUnavailableError(message, opts);
    default:
      return new StoreUpstreamError(message, mapped.permanent, opts);
  }
}
