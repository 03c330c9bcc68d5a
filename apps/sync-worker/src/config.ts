// The only file that reads process.env. Legacy variable names (GUN_*, RECORD_TYPE_INDEX_*) are
// accepted as aliases so a legacy .env keeps working; the SYNC_* names win when both are set.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError, checkClusterPrefix, checkRedisUrl, parseRedisClusterNodes } from '@oip/service-kit';
import { peerBaseCandidates, peerWithoutCredentials } from '@oip/gun-client';
import { KNOWN_RECORD_TYPES } from '@oip/records';
import { STORE_ENV_VARS, StoreConfigSchema, storeConfigFromEnv } from '@oip/record-store';

// The kit's ConfigError (code CONFIG_INVALID, `variable` names the variable): runMain and the CLI
// recognise it and exit 2 with its one line.
export { ConfigError };

/** Record types legacy nodes index (oip-legacy-reference.md, "Record shape"). */
export { KNOWN_RECORD_TYPES };

const Int = (min: number, max: number, def: number, description: string) =>
  Type.Integer({ minimum: min, maximum: max, default: def, description });

export const ConfigSchema = Type.Object({
  /** A `redis://` or `rediss://` URL (anything else is refused at start). @defaultValue 'redis://127.0.0.1:6379' */
  redisUrl: Type.String({ minLength: 1, default: 'redis://127.0.0.1:6379' }),
  /**
   * Redis Cluster seeds (`host:port`, REDIS_CLUSTER_NODES). When set, every connection is a
   * cluster client and only REDIS_URL's credentials are used. @defaultValue [] (one Redis at redisUrl)
   */
  redisClusterNodes: Type.Array(Type.String({ minLength: 3, maxLength: 300 }), { maxItems: 64, default: [] }),
  /**
   * BullMQ key prefix; every key of this worker lives under it. On a cluster it must carry a
   * hash tag (`{oip}`) so all its keys share one slot. @defaultValue 'oip'
   */
  queuePrefix: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.{}-]+$', default: 'oip' }),
  /** Relay base URLs (http). `ws://h:p/gun` peers are mapped to `http://h:p/gun-relay`. */
  relays: Type.Array(Type.String({ pattern: '^https?://' }), { minItems: 1, maxItems: 32 }),
  /**
   * Relay key → the GUN_PEERS websocket it came from (`ws://h:p/gun`). Such a relay's API base
   * is resolved once, at the first pass: the peer's `/gun-relay` proxy or the bare relay
   * (`http://h:p`); a peer with neither is an error of the pass and of /health. @defaultValue {}
   */
  relayPeers: Type.Record(Type.String(), Type.String(), { default: {} }),
  /** Registry index keys read per page (paged `/get`). @defaultValue 500 */
  registryPageSize: Int(1, 1000, 500, 'SYNC_REGISTRY_PAGE_SIZE'),
  /** Registry entry links read at once per index (legacy relays send entries as links). @defaultValue 8 */
  registryLinkConcurrency: Int(1, 64, 8, 'SYNC_REGISTRY_LINK_CONCURRENCY'),
  /** Looks again at a record the relay answered 404 for, at most this many times. @defaultValue 5 */
  notFoundRelooks: Int(0, 100, 5, 'SYNC_NOT_FOUND_RELOOKS'),
  /** First relook this long after the 404, doubling after each. @defaultValue 60000 */
  notFoundBackoffMs: Int(0, 86_400_000, 60_000, 'SYNC_NOT_FOUND_BACKOFF_MS'),
  /** Discovery period. @defaultValue 300000 (5 min, seed 003) */
  syncIntervalMs: Int(1000, 86_400_000, 300_000, 'SYNC_INTERVAL_MS'),
  /** Run one discovery pass at start instead of waiting a full period. @defaultValue true */
  discoverOnStart: Type.Boolean({ default: true }),
  /** @defaultValue 'oip:registry' */
  registryRoot: Type.String({ minLength: 1, default: 'oip:registry' }),
  /** Our node id; registry entries published by it are skipped. */
  nodeId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{16}$' })),
  recordTypeMode: Type.Union([Type.Literal('all'), Type.Literal('whitelist'), Type.Literal('blacklist')], {
    default: 'all',
  }),
  /** Record types whose registry indexes are read (after the mode filter). */
  recordTypes: Type.Array(Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_-]+$' }), { minItems: 1, maxItems: 100 }),
  /** sqlite dataDir | elasticsearch url/index/credentials (@oip/record-store's one schema). */
  store: StoreConfigSchema,
  /** Jobs processed at once per worker process. @defaultValue 50 */
  concurrency: Int(1, 1000, 50, 'SYNC_CONCURRENCY'),
  /** Store writes are flushed at this many records… @defaultValue 50 */
  batchSize: Int(1, 5000, 50, 'SYNC_BATCH_SIZE'),
  /** …or after this many ms, whichever comes first (0 = flush at once). @defaultValue 50 */
  batchMs: Int(0, 60_000, 50, 'SYNC_BATCH_MS'),
  /** Attempts per record, the first included. @defaultValue 5 */
  attempts: Int(1, 50, 5, 'SYNC_ATTEMPTS'),
  /** First retry delay. @defaultValue 1000 */
  backoffMs: Int(1, 3_600_000, 1000, 'SYNC_BACKOFF_MS'),
  /** Retry delay cap. @defaultValue 60000 */
  backoffCapMs: Int(1, 86_400_000, 60_000, 'SYNC_BACKOFF_CAP_MS'),
  /** Completed / failed jobs kept for inspection. @defaultValue 1000 */
  keepCompleted: Int(0, 1_000_000, 1000, 'SYNC_KEEP_COMPLETED'),
  keepFailed: Int(0, 1_000_000, 1000, 'SYNC_KEEP_FAILED'),
  /** BullMQ job lock; a killed worker's jobs are picked up again after it. @defaultValue 30000 */
  lockDurationMs: Int(500, 600_000, 30_000, 'SYNC_LOCK_DURATION_MS'),
  /** @defaultValue 30000 */
  stalledIntervalMs: Int(500, 600_000, 30_000, 'SYNC_STALLED_INTERVAL_MS'),
  /** Stalls tolerated before the record is dead-lettered as exhausted. @defaultValue 2 */
  maxStalledCount: Int(0, 100, 2, 'SYNC_MAX_STALLED'),
  /** Per-relay sockets. @defaultValue 16 */
  relayConnections: Int(1, 256, 16, 'SYNC_RELAY_CONNECTIONS'),
  /** Whole relay request timeout. @defaultValue 15000 */
  relayTimeoutMs: Int(100, 120_000, 15_000, 'SYNC_RELAY_TIMEOUT_MS'),
  /** Health/metrics port on 127.0.0.1 by default; 0 = any free port, -1 = off. @defaultValue 9465 */
  healthPort: Int(-1, 65_535, 9465, 'SYNC_HEALTH_PORT'),
  /** Memory sampling period of the worker's memory guard (pauses the worker when critical). @defaultValue 5000 */
  memorySampleMs: Int(100, 600_000, 5000, 'SYNC_MEMORY_SAMPLE_MS'),
  /** Redis state check period: lost state (epoch key gone), missing scheduler, cached counters. @defaultValue 5000 */
  stateCheckMs: Int(50, 600_000, 5000, 'SYNC_STATE_CHECK_MS'),
  /** Longest wait for Redis on /health and /metrics before last-known values are served. @defaultValue 500 */
  healthReadTimeoutMs: Int(10, 10_000, 500, 'SYNC_HEALTH_READ_TIMEOUT_MS'),
  /** Redis error lines: one per connection per this many ms, with a suppressed count. @defaultValue 5000 */
  errorLogWindowMs: Int(0, 600_000, 5000, 'SYNC_ERROR_LOG_WINDOW_MS'),
  /** @defaultValue '127.0.0.1' */
  healthHost: Type.String({ minLength: 1, default: '127.0.0.1' }),
  /** Time SIGTERM waits for in-flight jobs before closing anyway. @defaultValue 20000 */
  shutdownTimeoutMs: Int(100, 600_000, 20_000, 'SYNC_SHUTDOWN_TIMEOUT_MS'),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  /**
   * A record whose only problems are fields conflicting with the store's fixed types:
   * `deadletter` drops it into the dead-letter queue; `degrade` indexes it with those fields set
   * aside (unindexed under meta.setAside, flagged oip.degraded) and lists it there as degraded.
   * @defaultValue 'deadletter'
   */
  onMappingConflict: Type.Union([Type.Literal('deadletter'), Type.Literal('degrade')], { default: 'deadletter' }),
  /**
   * Unsigned (legacy) records: `refuse` dead-letters them (SYNC_ERR_UNSIGNED; replay them after
   * switching); `accept` indexes those whose creator key is their soul's publisher, never over a
   * signed version. Records that carry a signature are always verified. @defaultValue 'refuse'
   */
  unsignedRecords: Type.Union([Type.Literal('refuse'), Type.Literal('accept')], { default: 'refuse' }),
  /** A refused deletion entry is read again after this long. @defaultValue 600000 */
  deletionRecheckMs: Int(1000, 86_400_000, 600_000, 'SYNC_DELETION_RECHECK_MS'),
  /**
   * The node secret the api seals its publishers' keys under (CUSTODY_SECRET, else JWT_SECRET):
   * with it the worker opens encrypted records of this node's own users. Unset: such records are
   * counted as unreadable.
   */
  custodySecret: Type.Optional(Type.String({ minLength: 16 })),
  /** Accounts index when the store is Elasticsearch (the api's API_ACCOUNTS_INDEX). @defaultValue 'accounts' */
  accountsIndex: Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-z0-9][a-z0-9._-]*$', default: 'accounts' }),
});

export type Config = Static<typeof ConfigSchema>;

type Env = Record<string, string | undefined>;

const list = (v: string | undefined): string[] | undefined =>
  v === undefined || v.trim() === ''
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/**
 * `ws://host:port/gun?token=…` (GUN_PEERS) → `http://host:port/gun-relay`, as the legacy node does
 * for HTTP sync; http(s) URLs pass unchanged (trailing slash removed). The query (the websocket
 * write token) and user info are dropped: HTTP reads need neither. gun-client's one rule.
 */
export function relayUrlFromPeer(peer: string): string {
  return peerBaseCandidates(peer)[0] ?? peer;
}

const first = (env: Env, ...names: string[]): [string, string] | undefined => {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return [n, v];
  }
  return undefined;
};

/** Which env variable each config key came from, for error messages. */
const sourceOf = new Map<string, string>();

function num(env: Env, key: string, ...names: string[]): number | undefined {
  const hit = first(env, ...names);
  if (!hit) return undefined;
  sourceOf.set(key, hit[0]);
  const n = Number(hit[1]);
  if (!Number.isFinite(n)) throw new ConfigError(`${hit[0]} must be a number, got "${hit[1]}"`, { variable: hit[0] });
  return n;
}

function bool(env: Env, name: string): boolean | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${v}"`, { variable: name });
}

/** Reads, defaults and validates the config; throws ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): Config {
  sourceOf.clear();
  const relaysRaw = list(first(env, 'SYNC_RELAYS', 'GUN_PEERS')?.[1]) ?? ['http://127.0.0.1:8765'];
  const mode = (first(env, 'SYNC_RECORD_TYPE_MODE', 'RECORD_TYPE_INDEX_MODE')?.[1] ?? 'all').toLowerCase();
  const allTypes = list(env.SYNC_RECORD_TYPES) ?? [...KNOWN_RECORD_TYPES];
  const white = list(env.RECORD_TYPE_INDEX_WHITELIST) ?? [];
  const black = new Set(list(env.RECORD_TYPE_INDEX_BLACKLIST) ?? []);
  const recordTypes =
    mode === 'whitelist' ? white : mode === 'blacklist' ? allTypes.filter((t) => !black.has(t)) : allTypes;

  const raw: Record<string, unknown> = {
    redisUrl: env.REDIS_URL,
    redisClusterNodes: env.REDIS_CLUSTER_NODES?.trim() ? parseRedisClusterNodes(env.REDIS_CLUSTER_NODES) : undefined,
    queuePrefix: env.SYNC_QUEUE_PREFIX,
    relays: relaysRaw.map(relayUrlFromPeer),
    relayPeers: Object.fromEntries(
      relaysRaw.filter((p) => /^wss?:\/\//.test(p)).map((p) => [relayUrlFromPeer(p), peerWithoutCredentials(p)]),
    ),
    registryPageSize: num(env, 'registryPageSize', 'SYNC_REGISTRY_PAGE_SIZE'),
    registryLinkConcurrency: num(env, 'registryLinkConcurrency', 'SYNC_REGISTRY_LINK_CONCURRENCY'),
    notFoundRelooks: num(env, 'notFoundRelooks', 'SYNC_NOT_FOUND_RELOOKS'),
    notFoundBackoffMs: num(env, 'notFoundBackoffMs', 'SYNC_NOT_FOUND_BACKOFF_MS'),
    syncIntervalMs: num(env, 'syncIntervalMs', 'SYNC_INTERVAL_MS', 'GUN_SYNC_INTERVAL'),
    discoverOnStart: bool(env, 'SYNC_DISCOVER_ON_START'),
    registryRoot: first(env, 'SYNC_REGISTRY_ROOT', 'GUN_REGISTRY_ROOT')?.[1],
    nodeId: first(env, 'SYNC_NODE_ID', 'GUN_NODE_ID_OVERRIDE')?.[1],
    recordTypeMode: mode,
    recordTypes,
    store: storeConfigFromEnv(env),
    concurrency: num(env, 'concurrency', 'SYNC_CONCURRENCY'),
    batchSize: num(env, 'batchSize', 'SYNC_BATCH_SIZE'),
    batchMs: num(env, 'batchMs', 'SYNC_BATCH_MS'),
    attempts: num(env, 'attempts', 'SYNC_ATTEMPTS'),
    backoffMs: num(env, 'backoffMs', 'SYNC_BACKOFF_MS'),
    backoffCapMs: num(env, 'backoffCapMs', 'SYNC_BACKOFF_CAP_MS'),
    keepCompleted: num(env, 'keepCompleted', 'SYNC_KEEP_COMPLETED'),
    keepFailed: num(env, 'keepFailed', 'SYNC_KEEP_FAILED'),
    lockDurationMs: num(env, 'lockDurationMs', 'SYNC_LOCK_DURATION_MS'),
    stalledIntervalMs: num(env, 'stalledIntervalMs', 'SYNC_STALLED_INTERVAL_MS'),
    maxStalledCount: num(env, 'maxStalledCount', 'SYNC_MAX_STALLED'),
    relayConnections: num(env, 'relayConnections', 'SYNC_RELAY_CONNECTIONS'),
    relayTimeoutMs: num(env, 'relayTimeoutMs', 'SYNC_RELAY_TIMEOUT_MS'),
    healthPort: num(env, 'healthPort', 'SYNC_HEALTH_PORT'),
    healthHost: env.SYNC_HEALTH_HOST,
    stateCheckMs: num(env, 'stateCheckMs', 'SYNC_STATE_CHECK_MS'),
    healthReadTimeoutMs: num(env, 'healthReadTimeoutMs', 'SYNC_HEALTH_READ_TIMEOUT_MS'),
    errorLogWindowMs: num(env, 'errorLogWindowMs', 'SYNC_ERROR_LOG_WINDOW_MS'),
    memorySampleMs: num(env, 'memorySampleMs', 'SYNC_MEMORY_SAMPLE_MS'),
    shutdownTimeoutMs: num(env, 'shutdownTimeoutMs', 'SYNC_SHUTDOWN_TIMEOUT_MS'),
    logLevel: env.LOG_LEVEL,
    onMappingConflict: env.SYNC_ON_MAPPING_CONFLICT?.trim().toLowerCase() || undefined,
    unsignedRecords: env.SYNC_UNSIGNED_RECORDS?.trim().toLowerCase() || undefined,
    deletionRecheckMs: num(env, 'deletionRecheckMs', 'SYNC_DELETION_RECHECK_MS'),
    custodySecret: first(env, 'SYNC_CUSTODY_SECRET', 'CUSTODY_SECRET', 'JWT_SECRET')?.[1],
    accountsIndex: first(env, 'SYNC_ACCOUNTS_INDEX', 'API_ACCOUNTS_INDEX')?.[1],
  };
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  return parseConfig(raw);
}

const envNameOf: Record<string, string> = {
  redisUrl: 'REDIS_URL',
  redisClusterNodes: 'REDIS_CLUSTER_NODES',
  queuePrefix: 'SYNC_QUEUE_PREFIX',
  relays: 'SYNC_RELAYS (or GUN_PEERS)',
  registryRoot: 'SYNC_REGISTRY_ROOT (or GUN_REGISTRY_ROOT)',
  nodeId: 'SYNC_NODE_ID (or GUN_NODE_ID_OVERRIDE)',
  recordTypeMode: 'RECORD_TYPE_INDEX_MODE',
  recordTypes: 'SYNC_RECORD_TYPES / RECORD_TYPE_INDEX_WHITELIST',
  store: STORE_ENV_VARS,
  healthHost: 'SYNC_HEALTH_HOST',
  logLevel: 'LOG_LEVEL',
  discoverOnStart: 'SYNC_DISCOVER_ON_START',
  onMappingConflict: 'SYNC_ON_MAPPING_CONFLICT',
  unsignedRecords: 'SYNC_UNSIGNED_RECORDS',
  custodySecret: 'SYNC_CUSTODY_SECRET (or CUSTODY_SECRET, JWT_SECRET)',
  accountsIndex: 'SYNC_ACCOUNTS_INDEX',
};

/** Validates a config object (defaults applied); tests and the api build configs with it. */
export function parseConfig(raw: Record<string, unknown>): Config {
  const withDefaults = Value.Default(ConfigSchema, Value.Clone(raw));
  if (Value.Check(ConfigSchema, withDefaults)) {
    checkRedisUrl(withDefaults.redisUrl);
    if (withDefaults.redisClusterNodes.length > 0) {
      parseRedisClusterNodes(withDefaults.redisClusterNodes.join(','));
      checkClusterPrefix(withDefaults.queuePrefix, 'SYNC_QUEUE_PREFIX');
    }
    return withDefaults;
  }
  const err = Value.Errors(ConfigSchema, withDefaults).First();
  const key = err?.path.split('/')[1] ?? '';
  const name = sourceOf.get(key) ?? envNameOf[key] ?? key;
  throw new ConfigError(`invalid config ${name}: ${err?.message ?? 'invalid'}${err ? ` (at ${err.path})` : ''}`, {
    variable: name,
  });
}
