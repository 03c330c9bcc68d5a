// A body validator that never coerces. Fastify's default Ajv has `coerceTypes: 'array'`, so a soul
// sent as 123, true or ["a"] would be acknowledged as the string "123", "true", "a": a write
// stored differently from what was sent. Write routes validate their body with TypeBox instead.
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

/** Route option `validatorCompiler` for routes whose only schema is a TypeBox body. */
export const strictBodyCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema }) => {
  const check = TypeCompiler.Compile(schema as TSchema);
  return (data: unknown) => {
    if (check.Check(data)) return { value: data };
    const first = check.Errors(data).First();
    // `validation` set: the error handler turns it into the route's legacy validation error.
    const error = Object.assign(new Error(first ? `${first.path || '/'} ${first.message}` : 'invalid body'), {
      validation: [{ instancePath: first?.path ?? '', message: first?.message ?? 'invalid' }],
      validationContext: 'body',
    });
    return { error };
  };
};
