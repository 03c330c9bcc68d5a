// Canonical JSON: what a signature covers. Object keys sorted at every depth, array order kept,
// no whitespace, values as JSON.stringify writes them (undefined members dropped). A record parsed
// back from the relay's JSON gives the same string as the object its publisher signed.
import { RecordsError } from './errors.js';

function sortedReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RecordsError('RECORDS_ERR_NOT_JSON', 'a number that JSON cannot hold (NaN or Infinity)');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(value).sort()) out[k] = (value as Record<string, unknown>)[k];
  return out;
}

/** The canonical JSON text of `value`; RECORDS_ERR_NOT_JSON for NaN/Infinity or a cycle. */
export function canonicalJson(value: unknown): string {
  try {
    return JSON.stringify(value, sortedReplacer) ?? 'null';
  } catch (err) {
    if (err instanceof RecordsError) throw err;
    throw new RecordsError('RECORDS_ERR_NOT_JSON', 'the value cannot be written as JSON', { cause: err });
  }
}
