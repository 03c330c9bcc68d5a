// One place that turns a TypeBox schema check into a typed payload or a clear error. Schemas
// are compiled once (TypeCompiler) and the checker cached per schema object: jobs are validated
// on every run, so the interpreted Value.Check would cost more than the job itself.
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

export class PayloadError extends Error {
  readonly code = 'QUEUE_ERR_INVALID_PAYLOAD';
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

// Keyed by schema identity; schemas are module constants, so this holds a handful of entries.
const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** The compiled checker of a schema (compiled on first use, then cached). */
export function checkerOf<T extends TSchema>(schema: T): TypeCheck<T> {
  let c = compiled.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  return c as TypeCheck<T>;
}

/** Returns the payload typed by the schema, or throws PayloadError naming the first bad path. */
export function validatePayload<T extends TSchema>(schema: T, value: unknown, what = 'payload'): Static<T> {
  const check = checkerOf(schema);
  if (check.Check(value)) return value;
  const first = check.Errors(value).First();
  const where = first ? `${first.path || '/'}: ${first.message}` : 'does not match its schema';
  throw new PayloadError(`invalid ${what} at ${where}`);
}
