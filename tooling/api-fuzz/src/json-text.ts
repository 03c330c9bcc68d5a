// A JSON document as the fuzz writes it. Beside plain values it holds objects as key/value pairs
// (so a key may repeat and `__proto__` is an ordinary key) and raw tokens JSON.stringify cannot
// produce (`1e400`, `-0`, thousands of nested brackets). Serialised by hand into the text sent.

/** An object as ordered pairs: duplicate keys and prototype keys are written as they are. */
export interface JsonObject {
  readonly obj: ReadonlyArray<readonly [string, JsonTree]>;
}

/** A token written verbatim (`1e400`, `[[[…]]]`, or text that is not JSON at all). */
export interface JsonRaw {
  readonly raw: string;
}

export type JsonTree = null | boolean | number | string | JsonTree[] | JsonObject | JsonRaw;

export const isJsonObject = (v: JsonTree): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'obj' in v;
const isJsonRaw = (v: JsonTree): v is JsonRaw => typeof v === 'object' && v !== null && !Array.isArray(v) && 'raw' in v;

/** An object of the given pairs. */
export const jsonObject = (pairs: ReadonlyArray<readonly [string, JsonTree]>): JsonObject => ({ obj: pairs });

/** The JSON text of `v` (raw tokens verbatim; a non-finite plain number is written as null, as JSON.stringify would). */
export function toJsonText(v: JsonTree): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (isJsonRaw(v)) return v.raw;
  return `{${v.obj.map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`).join(',')}}`;
}

/** The value as a query-string value: strings as they are, anything else as its JSON text. */
export function toQueryText(v: JsonTree): string {
  return typeof v === 'string' ? v : toJsonText(v);
}
