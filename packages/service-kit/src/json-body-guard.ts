// The app's JSON body parser: Fastify's own (secure-json-parse, `__proto__` and
// `constructor.prototype` refused), then one walk that refuses what JSON.parse accepts but we
// would store differently or trip over: a number that overflows to ±Infinity (`1e400` would be
// stored as null) and nesting past a bound (deeper documents overflow recursive readers).
import createError from '@fastify/error';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { jsonProblem } from './json-guard.js';

/** Nesting bound of a JSON body; records are a few levels deep. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

export interface JsonBodyGuardOptions {
  /** Code prefix of the service (`API`, …): `<prefix>_JSON_NUMBER_NOT_FINITE`, `<prefix>_JSON_TOO_DEEP`. */
  prefix: string;
  /** Most nested containers (`{}` is 1). @defaultValue DEFAULT_MAX_JSON_DEPTH */
  maxDepth?: number;
}

async function jsonBodyGuardPlugin(app: FastifyInstance, opts: JsonBodyGuardOptions): Promise<void> {
  const NotFinite = createError(
    `${opts.prefix}_JSON_NUMBER_NOT_FINITE`,
    'Request body has a number at %s that JSON cannot carry (it overflows to Infinity)',
    400,
  );
  const TooDeep = createError(`${opts.prefix}_JSON_TOO_DEEP`, 'Request body nests deeper than %s levels', 400);
  const ReservedKey = createError(
    `${opts.prefix}_INVALID_JSON`,
    'Request body is not valid JSON: reserved key at %s',
    400,
  );
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parse(req, body as string, (err, value) => {
      if (err) return done(err);
      const problem = jsonProblem(value, maxDepth);
      if (problem === null) return done(null, value);
      if (problem.kind === 'not-finite') return done(new NotFinite(problem.path));
      if (problem.kind === 'too-deep') return done(new TooDeep(problem.maxDepth));
      return done(new ReservedKey(problem.path));
    });
  });
}

/** Replaces the app's application/json parser (root level: wrapped with fastify-plugin). */
export const jsonBodyGuard = fp(jsonBodyGuardPlugin, { name: 'oip-json-body-guard', fastify: '5.x' });
