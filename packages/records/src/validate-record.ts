// Whether a record another node wrote may be indexed (the sync side of record-types.ts): the
// envelope (`data` of categories, the `oip` block with a creator, nested or flattened), `basic`
// and the type's own category under the lenient rules. Schemas are compiled once at load: this
// runs for every synced record.
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { isObject } from './is-object.js';
import { BASIC_RULE, CATEGORY_RULES, categorySchema } from './record-types.js';

/** The `oip` block as publishers send it; the creator may be nested or flattened. */
const OipBlockSchema = Type.Object({
  ver: Type.String({ pattern: '^0\\.8' }),
  recordType: Type.String({ minLength: 1, maxLength: 100 }),
  creator: Type.Optional(
    Type.Union([
      Type.Object({ publicKey: Type.Optional(Type.String()), didAddress: Type.Optional(Type.String()) }),
      Type.Null(),
    ]),
  ),
  creator_publicKey: Type.Optional(Type.String()),
  creator_didAddress: Type.Optional(Type.String()),
});

const RecordEnvelopeSchema = Type.Object({
  data: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
  oip: OipBlockSchema,
});

const envelope = TypeCompiler.Compile(RecordEnvelopeSchema);
const basic = TypeCompiler.Compile(categorySchema(BASIC_RULE, 'sync'));
const categories = new Map<string, TypeCheck<TSchema>>(
  [...CATEGORY_RULES].map(([type, rule]) => [type, TypeCompiler.Compile(categorySchema(rule, 'sync'))]),
);

/** One broken rule: the dotted path (`oip.ver`, `data.basic.date`) and TypeBox's rule text. */
export interface SchemaFailure {
  path: string;
  rule: string;
}

export type ValidationResult = { ok: true } | { ok: false; message: string; failures: SchemaFailure[] };

/** Failures reported per record: the first few are enough to fix a publisher. */
const MAX_FAILURES = 4;

/** JSON pointer (`/data/basic/date`) → dotted path (`data.basic.date`). */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function failures(check: TypeCheck<TSchema>, value: unknown, prefix: string): SchemaFailure[] | null {
  if (check.Check(value)) return null;
  const out: SchemaFailure[] = [];
  const seen = new Set<string>();
  for (const e of check.Errors(value)) {
    const path = dotted(`${prefix}${e.path}`);
    // A union reports each branch; one line per path is enough.
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, rule: e.message });
    if (out.length >= MAX_FAILURES) break;
  }
  return out.length > 0 ? out : [{ path: dotted(prefix), rule: 'invalid' }];
}

function invalid(list: SchemaFailure[]): ValidationResult {
  const first = list[0]!;
  return { ok: false, message: `/${first.path.replace(/\./g, '/')}: ${first.rule}`, failures: list };
}

/** Checks what a synced record must hold; the message names the first bad path. */
export function validateRecord(record: unknown): ValidationResult {
  const env = failures(envelope, record, '');
  if (env) return invalid(env);
  const r = record as { data: Record<string, unknown>; oip: Record<string, unknown> };
  const creator = isObject(r.oip['creator']) ? r.oip['creator'] : {};
  const publicKey = creator['publicKey'] ?? r.oip['creator_publicKey'];
  const didAddress = creator['didAddress'] ?? r.oip['creator_didAddress'];
  if (typeof publicKey !== 'string' || publicKey === '')
    return invalid([{ path: 'oip.creator.publicKey', rule: 'required (nested or creator_publicKey)' }]);
  if (typeof didAddress !== 'string' || didAddress === '')
    return invalid([{ path: 'oip.creator.didAddress', rule: 'required (nested or creator_didAddress)' }]);
  if (r.data['basic'] !== undefined) {
    const b = failures(basic, r.data['basic'], '/data/basic');
    if (b) return invalid(b);
  }
  const type = r.oip['recordType'] as string;
  const schema = categories.get(type);
  if (schema && r.data[type] !== undefined) {
    const c = failures(schema, r.data[type], `/data/${type}`);
    if (c) return invalid(c);
  }
  return { ok: true };
}
