// Validates a fetched record against the envelope and its type's category schema.
// Schemas are compiled once at load: this runs for every synced record.
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { BasicSchema, CategorySchemas, RecordEnvelopeSchema } from './record-schemas.js';

const envelope = TypeCompiler.Compile(RecordEnvelopeSchema);
const basic = TypeCompiler.Compile(BasicSchema);
const categories = new Map<string, TypeCheck<TSchema>>(Object.entries(CategorySchemas).map(([k, v]) => [k, TypeCompiler.Compile(v)]));

export type ValidationResult = { ok: true } | { ok: false; message: string };

function firstError(check: TypeCheck<TSchema>, value: unknown, prefix: string): string | null {
  if (check.Check(value)) return null;
  const e = check.Errors(value).First();
  return e ? `${prefix}${e.path || '/'}: ${e.message}` : `${prefix}: invalid`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks what a synced record must hold; the message names the first bad path. */
export function validateRecord(record: unknown): ValidationResult {
  const env = firstError(envelope, record, '');
  if (env) return { ok: false, message: env };
  const r = record as { data: Record<string, unknown>; oip: Record<string, unknown> };
  const creator = isObject(r.oip.creator) ? r.oip.creator : {};
  const publicKey = creator.publicKey ?? r.oip.creator_publicKey;
  const didAddress = creator.didAddress ?? r.oip.creator_didAddress;
  if (typeof publicKey !== 'string' || publicKey === '') return { ok: false, message: '/oip/creator/publicKey: required (nested or creator_publicKey)' };
  if (typeof didAddress !== 'string' || didAddress === '') return { ok: false, message: '/oip/creator/didAddress: required (nested or creator_didAddress)' };
  if (r.data.basic !== undefined) {
    const b = firstError(basic, r.data.basic, '/data/basic');
    if (b) return { ok: false, message: b };
  }
  const type = r.oip.recordType as string;
  const schema = categories.get(type);
  if (schema && r.data[type] !== undefined) {
    const c = firstError(schema, r.data[type], `/data/${type}`);
    if (c) return { ok: false, message: c };
  }
  return { ok: true };
}
