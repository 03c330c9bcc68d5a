// ES client failures onto the accounts error classes, by name/status (not instanceof, so the
// mock's error classes classify the same). Request bodies and auth are never copied.
import { type AccountsError, StoreFailureError, StoreUnavailableError, isAccountsError } from '../errors.js';

interface ClientErrorShape {
  name?: string;
  message?: string;
  meta?: { statusCode?: number | null; body?: unknown };
}

const UNAVAILABLE_STATUS: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);

export function esStatus(err: unknown): number | undefined {
  const status = (err as ClientErrorShape | null)?.meta?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function esErrorType(err: unknown): string | undefined {
  const body = (err as ClientErrorShape | null)?.meta?.body as { error?: { type?: unknown } } | undefined;
  const type = body?.error?.type;
  return typeof type === 'string' ? type : undefined;
}

export function mapEsError(err: unknown, action: string): AccountsError {
  if (isAccountsError(err)) return err;
  const e = (err ?? {}) as ClientErrorShape;
  if (e.name === 'TimeoutError') return new StoreUnavailableError(`${action}: Elasticsearch timed out`, { cause: err });
  if (e.name === 'ConnectionError' || e.name === 'NoLivingConnectionsError') {
    return new StoreUnavailableError(`${action}: cannot reach Elasticsearch`, { cause: err });
  }
  const status = esStatus(err);
  const type = esErrorType(err);
  if (status !== undefined && UNAVAILABLE_STATUS.has(status)) {
    return new StoreUnavailableError(`${action}: Elasticsearch answered ${status}${type ? ` ${type}` : ''}`, {
      cause: err,
    });
  }
  const what = status === undefined ? (e.message ?? 'error') : `${status}${type ? ` ${type}` : ''}`;
  return new StoreFailureError(`${action}: Elasticsearch ${what}`, { cause: err });
}
