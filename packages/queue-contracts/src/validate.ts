// One place that turns a TypeBox schema check into a typed payload or a clear error.
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class PayloadError extends Error {
  readonly code = 'QUEUE_ERR_INVALID_PAYLOAD';
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

/** Returns the payload typed by the schema, or throws PayloadError naming the first bad path. */
export function validatePayload<T extends TSchema>(schema: T, value: unknown, what = 'payload'): Static<T> {
  if (Value.Check(schema, value)) return value;
  const first = Value.Errors(schema, value).First();
  const where = first ? `${first.path || '/'}: ${first.message}` : 'does not match its schema';
  throw new PayloadError(`invalid ${what} at ${where}`);
}
