// Reading an environment into a typed config. Each config field names its variables in order of
// precedence: the service-prefixed name first, then legacy aliases, then bare names such as
// `PORT`/`HOST`, so apps that share one environment never take each other's port.
import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from './config-error.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** How one config field is read: its variables (first set one wins) and how the text is parsed. */
export interface EnvField {
  vars: readonly string[];
  /** @defaultValue 'string' */
  kind?: 'string' | 'int' | 'number' | 'bool' | 'list';
}

export type EnvSpec = Readonly<Record<string, EnvField>>;

/** The first variable of `names` that is set to something other than blanks, with its name. */
export function firstSet(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') return { name, value: v.trim() };
  }
  return undefined;
}

/** Comma-separated list, blanks dropped. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** Parses one variable's text as `kind`; throws ConfigError naming the variable. */
export function parseEnvValue(name: string, value: string, kind: EnvField['kind'] = 'string'): unknown {
  switch (kind) {
    case 'string':
      return value;
    case 'list':
      return splitList(value);
    case 'int':
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) {
        throw new ConfigError(`${name} must be ${kind === 'int' ? 'an integer' : 'a number'}, got "${value}"`, {
          variable: name,
        });
      }
      return n;
    }
    case 'bool': {
      const v = value.toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      throw new ConfigError(`${name} must be true or false, got "${value}"`, { variable: name });
    }
  }
}

/**
 * The variable each field of a readEnv object came from, so validateConfig names the one the
 * operator set (LOG_LEVEL, not API_LOG_LEVEL) even when it is not given the environment.
 */
const sourcesOf = new WeakMap<object, Map<string, string>>();

/** The raw (unvalidated) object the spec reads from `env`; unset fields are absent. */
export function readEnv(env: Env, spec: EnvSpec): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const [key, field] of Object.entries(spec)) {
    const hit = firstSet(env, field.vars);
    if (hit) {
      raw[key] = parseEnvValue(hit.name, hit.value, field.kind);
      sources.set(key, hit.name);
    }
  }
  sourcesOf.set(raw, sources);
  return raw;
}

/**
 * Applies the schema's defaults to `input` and validates it. The first error becomes a
 * ConfigError naming the variable of the failing field: the one of its `spec` variables set in
 * `env` when given (an alias the operator used, such as a legacy name), else the one `input`
 * was read from when readEnv made it, else its first, else `fallbackName(key)`.
 */
export function validateConfig<S extends TObject>(
  schema: S,
  input: Record<string, unknown>,
  spec: EnvSpec = {},
  fallbackName: (key: string) => string = (key) => key,
  env?: Env,
): Static<S> {
  const withDefaults = Value.Default(schema, structuredClone(input)) as Record<string, unknown>;
  const err = Value.Errors(schema, withDefaults).First();
  if (err) {
    const key = err.path.split('/')[1] ?? '';
    const field = spec[key];
    const variable =
      (field && env ? firstSet(env, field.vars)?.name : sourcesOf.get(input)?.get(key)) ??
      field?.vars[0] ??
      fallbackName(key);
    throw new ConfigError(`invalid ${variable}: ${describeError(err.schema, err.value, err.message)}`, { variable });
  }
  return withDefaults as Static<S>;
}

/** A choice among fixed values (a union of literals, such as a log level) says which, and what it got. */
function describeError(schema: unknown, value: unknown, message: string): string {
  const choices = (schema as { anyOf?: Array<{ const?: unknown }> }).anyOf;
  if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c.const === 'string'))
    return message;
  return `must be one of ${choices.map((c) => c.const as string).join(', ')}, got ${JSON.stringify(value)}`;
}

/** `camelCase` → `PREFIX_CAMEL_CASE`, the default variable name of a field. */
export function envNameOf(prefix: string, key: string): string {
  return `${prefix}_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
