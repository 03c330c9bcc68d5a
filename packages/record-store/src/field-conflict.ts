import { isObject } from '@oip/records';
// The structured form of a mapping conflict, the same from both stores: the SQLite store and the
// ES adapter's guard build it from the document, the ES adapter also from a bulk item error
// (es-conflict.ts). Dead letters carry it, so an operator sees which field, which type the
// store fixed, which type came in, and a short sample of the incoming value.

/** A field whose incoming value does not fit the type the store has fixed for its path. */
export interface FieldConflict {
  /** Dotted document path, e.g. `data.shoppingList.item_amounts`. */
  path: string;
  /** The type the store has fixed (guard type or ES mapping type, e.g. `long`, `text`, `object`). */
  fixedType: string;
  /** The type the incoming value has (`float`, `object`, `text`, ...). */
  incomingType: string;
  /** JSON of the incoming value(s) at the path, cut to CONFLICT_SAMPLE_MAX_CHARS. Never the whole record. */
  sample: string;
}

/** Upper bound of `FieldConflict.sample`, in UTF-16 code units (the ellipsis included). */
export const CONFLICT_SAMPLE_MAX_CHARS = 120;

/** Values at a dotted path, arrays flattened at every level (ES object-array semantics). Bounded. */
export function valuesAt(doc: unknown, path: string, max = 64): unknown[] {
  let current: unknown[] = [doc];
  for (const seg of path.split('.')) {
    const next: unknown[] = [];
    for (const c of current.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      if (isObject(c) && Object.hasOwn(c, seg)) next.push(c[seg]);
      if (next.length >= max) break;
    }
    current = next;
    if (current.length === 0) return [];
  }
  const out: unknown[] = [];
  for (const v of current) {
    if (Array.isArray(v)) out.push(...v.slice(0, max - out.length));
    else out.push(v);
    if (out.length >= max) break;
  }
  return out.filter((v) => v !== null && v !== undefined);
}

/** A bounded JSON sample of values: one value alone, several as an array. */
export function boundedSample(values: readonly unknown[], maxChars = CONFLICT_SAMPLE_MAX_CHARS): string {
  let json: string;
  try {
    json = JSON.stringify(values.length === 1 ? values[0] : values) ?? '';
  } catch {
    json = '';
  }
  return json.length <= maxChars ? json : `${json.slice(0, maxChars - 1)}…`;
}

/** The sample of the values a document holds at `path`. */
export function sampleAt(doc: unknown, path: string, maxChars = CONFLICT_SAMPLE_MAX_CHARS): string {
  // Only as many values as the sample can show are read.
  return boundedSample(valuesAt(doc, path, Math.max(1, Math.ceil(maxChars / 2))), maxChars);
}
