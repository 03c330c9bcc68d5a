// The store section of an app's config, written once: the TypeBox schema apps embed in their
// ConfigSchema, and the reading of the store variables (STORE_KIND, STORE_DATA_DIR, the legacy
// ELASTICSEARCH_* names) from an environment. Validation stays with the app's config, so its
// error names the app's variable.
import { Type, type Static } from '@sinclair/typebox';

export const StoreConfigSchema = Type.Union([
  Type.Object({ kind: Type.Literal('sqlite'), dataDir: Type.String({ minLength: 1 }) }),
  Type.Object({
    kind: Type.Literal('elasticsearch'),
    url: Type.String({ pattern: '^https?://' }),
    index: Type.String({ minLength: 1 }),
    /** Basic auth; a username without a password is sent with an empty one. */
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    /** An Elasticsearch API key (the base64 `id:api_key` form); used instead of basic auth when set. */
    apiKey: Type.Optional(Type.String({ minLength: 1 })),
    /** The index is a legacy node's, served read-only (ELASTICSEARCH_LEGACY_INDEX names it). */
    legacyReadOnly: Type.Optional(Type.Boolean()),
  }),
]);

export type StoreConfig = Static<typeof StoreConfigSchema>;

export interface StoreEnvOptions {
  /** The app's prefixed data-dir variable (`API_STORE_DATA_DIR`), read before `STORE_DATA_DIR`. */
  dataDirVar?: string;
  /** @defaultValue '.data/records' */
  defaultDataDir?: string;
  /** Applied to the data dir (e.g. resolve against a cwd). @defaultValue identity */
  resolveDataDir?: (dir: string) => string;
}

/** Variables the store section is read from, for messages naming them. */
export const STORE_ENV_VARS = 'STORE_KIND / STORE_DATA_DIR / ELASTICSEARCH_URL';

type Env = Readonly<Record<string, string | undefined>>;

/** The first of `names` set to something other than blanks (trimmed). */
function first(env: Env, ...names: Array<string | undefined>): string | undefined {
  for (const name of names) {
    const v = name === undefined ? undefined : env[name];
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/**
 * The unvalidated store section from `env`: `STORE_KIND` (default `elasticsearch` when an
 * ELASTICSEARCH_URL/HOST is set, else `sqlite`), the data dir, or url/index/credentials
 * (ELASTICSEARCH_USERNAME/PASSWORD, ELASTICSEARCH_API_KEY; ELASTICSEARCH_LEGACY_INDEX: a legacy node's
 * index, read-only).
 */
export function storeConfigFromEnv(env: Env, opts: StoreEnvOptions = {}): Record<string, unknown> {
  const url = first(env, 'ELASTICSEARCH_URL', 'ELASTICSEARCH_HOST');
  const kind = (first(env, 'STORE_KIND') ?? (url ? 'elasticsearch' : 'sqlite')).toLowerCase();
  if (kind === 'elasticsearch') {
    const username = first(env, 'ELASTICSEARCH_USERNAME');
    const password = first(env, 'ELASTICSEARCH_PASSWORD');
    const apiKey = first(env, 'ELASTICSEARCH_API_KEY');
    // A legacy node's index, read-only: its name wins over ELASTICSEARCH_INDEX.
    const legacy = first(env, 'ELASTICSEARCH_LEGACY_INDEX');
    return {
      kind,
      url: url ?? 'http://127.0.0.1:9200',
      index: legacy ?? first(env, 'ELASTICSEARCH_INDEX') ?? 'records',
      ...(legacy ? { legacyReadOnly: true } : {}),
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(apiKey ? { apiKey } : {}),
    };
  }
  const dir = first(env, opts.dataDirVar, 'STORE_DATA_DIR') ?? opts.defaultDataDir ?? '.data/records';
  return { kind, dataDir: opts.resolveDataDir ? opts.resolveDataDir(dir) : dir };
}
