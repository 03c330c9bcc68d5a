// The only file that reads process.env, through @oip/service-kit's env reader like the other
// apps. Legacy variable names (GUN_*, RECORD_TYPE_INDEX_*) are accepted as aliases so a legacy
// .env keeps working; the SYNC_* names win when both are set. An invalid value stops the start
// with one line naming the variable that was set.
import { Type, type Static } from '@sinclair/typebox';
import {
  ConfigError,
  LogLevelSchema,
  checkClusterPrefix,
  checkRedisUrl,
  firstSet,
  parseRedisClusterNodes,
  readEnv,
  splitList,
  validateConfig,
  type Env,
  type EnvSpec,
} from '@oip/service-kit';
import { peerBaseCandidates, peerWithoutCredentials } from '@oip/gun-client';
import { KNOWN_RECORD_TYPES } from '@oip/records';
import { STORE_ENV_VARS, StoreConfigSchema, storeConfigFromEnv } from '@oip/record-store';

// The kit's ConfigError (code CONFIG_INVALID, `variable` names the variable): runMain and the CLI
// recognise it and exit 2 with its one line.
export { ConfigError };

/** Record types legacy nodes index (oip-legacy-reference.md, "Record shape"). */
export { KNOWN_RECORD_TYPES };

const Int = (min: number, max: number, def: number) => Type.Integer({ minimum: min, maximum: max, default: def });

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
  registryPageSize: Int(1, 1000, 500),
  /** Registry entry links read at once per index (legacy relays send entries as links). @defaultValue 8 */
  registryLinkConcurrency: Int(1, 64, 8),
  /** Looks again at a record the relay answered 404 for, at most this many times. @defaultValue 5 */
  notFoundRelooks: Int(0, 100, 5),
  /** First relook this long after the 404, doubling after each. @defaultValue 60000 */
  notFoundBackoffMs: Int(0, 86_400_000, 60_000),
  /** Discovery period. @defaultValue 300000 (5 min, seed 003) */
  syncIntervalMs: Int(1000, 86_400_000, 300_000),
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
  concurrency: Int(1, 1000, 50),
  /** Store writes are flushed at this many records… @defaultValue 50 */
  batchSize: Int(1, 5000, 50),
  /** …or after this many ms, whichever comes first (0 = flush at once). @defaultValue 50 */
  batchMs: Int(0, 60_000, 50),
  /** Attempts per record, the first included. @defaultValue 5 */
  attempts: Int(1, 50, 5),
  /** First retry delay. @defaultValue 1000 */
  backoffMs: Int(1, 3_600_000, 1000),
  /** Retry delay cap. @defaultValue 60000 */
  backoffCapMs: Int(1, 86_400_000, 60_000),
  /** Completed / failed jobs kept for inspection. @defaultValue 1000 */
  keepCompleted: Int(0, 1_000_000, 1000),
  keepFailed: Int(0, 1_000_000, 1000),
  /** BullMQ job lock; a killed worker's jobs are picked up again after it. @defaultValue 30000 */
  lockDurationMs: Int(500, 600_000, 30_000),
  /** @defaultValue 30000 */
  stalledIntervalMs: Int(500, 600_000, 30_000),
  /** Stalls tolerated before the record is dead-lettered as exhausted. @defaultValue 2 */
  maxStalledCount: Int(0, 100, 2),
  /** Per-relay sockets. @defaultValue 16 */
  relayConnections: Int(1, 256, 16),
  /** Whole relay request timeout. @defaultValue 15000 */
  relayTimeoutMs: Int(100, 120_000, 15_000),
  /** Health/metrics port on 127.0.0.1 by default; 0 = any free port, -1 = off. @defaultValue 9465 */
  healthPort: Int(-1, 65_535, 9465),
  /** Memory sampling period of the worker's memory guard (pauses the worker when critical). @defaultValue 5000 */
  memorySampleMs: Int(100, 600_000, 5000),
  /** Redis state check period: lost state (epoch key gone), missing scheduler, cached counters. @defaultValue 5000 */
  stateCheckMs: Int(50, 600_000, 5000),
  /** Longest wait for Redis on /health and /metrics before last-known values are served. @defaultValue 500 */
  healthReadTimeoutMs: Int(10, 10_000, 500),
  /** Redis error lines: one per connection per this many ms, with a suppressed count. @defaultValue 5000 */
  errorLogWindowMs: Int(0, 600_000, 5000),
  /** @defaultValue '127.0.0.1' */
  healthHost: Type.String({ minLength: 1, default: '127.0.0.1' }),
  /** Time SIGTERM waits for in-flight jobs before closing anyway. @defaultValue 20000 */
  shutdownTimeoutMs: Int(100, 600_000, 20_000),
  logLevel: LogLevelSchema,
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
  deletionRecheckMs: Int(1000, 86_400_000, 600_000),
  /**
   * The node secret the api seals its publishers' keys under (CUSTODY_SECRET, else JWT_SECRET):
   * with it the worker opens encrypted records of this node's own users. Unset: such records are
   * counted as unreadable.
   */
  custodySecret: Type.Optional(Type.String({ minLength: 16 })),
  /**
   * `oip migrate records`: the legacy node's Elasticsearch credentials, used when the command's
   * flags give none (so they stay off the command line): a username (with its password) or an API key.
   */
  migrateSourceUsername: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * Legacy Elasticsearch URLs the worker reads migrated records from when their dead letters are
   * replayed (migrate-record jobs, with the MIGRATE_ELASTICSEARCH_* credentials); a job naming
   * another URL is dead-lettered as SYNC_ERR_RELAY_NOT_CONFIGURED. @defaultValue [] (none)
   */
  migrateSources: Type.Array(Type.String({ pattern: '^https?://', maxLength: 2000 }), { maxItems: 16, default: [] }),
  migrateSourcePassword: Type.Optional(Type.String()),
  migrateSourceApiKey: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * Keep mirroring (issue 27): a legacy node's Elasticsearch whose records index the worker reads
   * on a schedule (migrate/follow-pass.ts), queueing a migrate-record job for each new or changed
   * record, with the MIGRATE_ELASTICSEARCH_* credentials. @defaultValue unset (no following)
   */
  migrateFollowUrl: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 2000 })),
  /** The legacy records index followed. @defaultValue 'records' */
  migrateFollowIndex: Type.String({
    minLength: 1,
    maxLength: 255,
    pattern: '^[a-z0-9][a-z0-9._-]*$',
    default: 'records',
  }),
  /** Period of the follow passes. @defaultValue 60000 */
  migrateFollowIntervalMs: Int(1000, 86_400_000, 60_000),
  /** `arweave`: only Arweave-origin records are followed; `all`: GUN-origin ones too. @defaultValue 'arweave' */
  migrateFollowOrigin: Type.Union([Type.Literal('arweave'), Type.Literal('all')], { default: 'arweave' }),
  /**
   * Each pass reads again the documents indexed up to this long before the last one seen (a write
   * that became visible after a later one was read); unchanged ones are not queued. @defaultValue 60000
   */
  migrateFollowLookbackMs: Int(0, 86_400_000, 60_000),
  /** Documents per page of a pass. @defaultValue 500 */
  migrateFollowPageSize: Int(1, 5000, 500),
  /** Accounts index when the store is Elasticsearch (the api's API_ACCOUNTS_INDEX). @defaultValue 'accounts' */
  accountsIndex: Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-z0-9][a-z0-9._-]*$', default: 'accounts' }),
});

export type Config = Static<typeof ConfigSchema>;

/** Numbers are read as `number` so a non-number says "must be a number"; the schema wants integers. */
const num = (...vars: string[]) => ({ vars, kind: 'number' }) as const;

/** The variables of each field read straight from the environment, in order of precedence. */
const spec: EnvSpec = {
  redisUrl: { vars: ['REDIS_URL'] },
  queuePrefix: { vars: ['SYNC_QUEUE_PREFIX'] },
  relays: { vars: ['SYNC_RELAYS', 'GUN_PEERS'], kind: 'list' },
  registryPageSize: num('SYNC_REGISTRY_PAGE_SIZE'),
  registryLinkConcurrency: num('SYNC_REGISTRY_LINK_CONCURRENCY'),
  notFoundRelooks: num('SYNC_NOT_FOUND_RELOOKS'),
  notFoundBackoffMs: num('SYNC_NOT_FOUND_BACKOFF_MS'),
  syncIntervalMs: num('SYNC_INTERVAL_MS', 'GUN_SYNC_INTERVAL'),
  discoverOnStart: { vars: ['SYNC_DISCOVER_ON_START'], kind: 'bool' },
  registryRoot: { vars: ['SYNC_REGISTRY_ROOT', 'GUN_REGISTRY_ROOT'] },
  nodeId: { vars: ['SYNC_NODE_ID', 'GUN_NODE_ID_OVERRIDE'] },
  recordTypeMode: { vars: ['SYNC_RECORD_TYPE_MODE', 'RECORD_TYPE_INDEX_MODE'] },
  concurrency: num('SYNC_CONCURRENCY'),
  batchSize: num('SYNC_BATCH_SIZE'),
  batchMs: num('SYNC_BATCH_MS'),
  attempts: num('SYNC_ATTEMPTS'),
  backoffMs: num('SYNC_BACKOFF_MS'),
  backoffCapMs: num('SYNC_BACKOFF_CAP_MS'),
  keepCompleted: num('SYNC_KEEP_COMPLETED'),
  keepFailed: num('SYNC_KEEP_FAILED'),
  lockDurationMs: num('SYNC_LOCK_DURATION_MS'),
  stalledIntervalMs: num('SYNC_STALLED_INTERVAL_MS'),
  maxStalledCount: num('SYNC_MAX_STALLED'),
  relayConnections: num('SYNC_RELAY_CONNECTIONS'),
  relayTimeoutMs: num('SYNC_RELAY_TIMEOUT_MS'),
  healthPort: num('SYNC_HEALTH_PORT'),
  healthHost: { vars: ['SYNC_HEALTH_HOST'] },
  memorySampleMs: num('SYNC_MEMORY_SAMPLE_MS'),
  stateCheckMs: num('SYNC_STATE_CHECK_MS'),
  healthReadTimeoutMs: num('SYNC_HEALTH_READ_TIMEOUT_MS'),
  errorLogWindowMs: num('SYNC_ERROR_LOG_WINDOW_MS'),
  shutdownTimeoutMs: num('SYNC_SHUTDOWN_TIMEOUT_MS'),
  logLevel: { vars: ['LOG_LEVEL'] },
  onMappingConflict: { vars: ['SYNC_ON_MAPPING_CONFLICT'] },
  unsignedRecords: { vars: ['SYNC_UNSIGNED_RECORDS'] },
  deletionRecheckMs: num('SYNC_DELETION_RECHECK_MS'),
  custodySecret: { vars: ['SYNC_CUSTODY_SECRET', 'CUSTODY_SECRET', 'JWT_SECRET'] },
  accountsIndex: { vars: ['SYNC_ACCOUNTS_INDEX', 'API_ACCOUNTS_INDEX'] },
  migrateSourceUsername: { vars: ['MIGRATE_ELASTICSEARCH_USERNAME'] },
  migrateSources: { vars: ['MIGRATE_ELASTICSEARCH_URL'], kind: 'list' },
  migrateSourcePassword: { vars: ['MIGRATE_ELASTICSEARCH_PASSWORD'] },
  migrateSourceApiKey: { vars: ['MIGRATE_ELASTICSEARCH_API_KEY'] },
  migrateFollowUrl: { vars: ['MIGRATE_FOLLOW_ELASTICSEARCH_URL'] },
  migrateFollowIndex: { vars: ['MIGRATE_FOLLOW_INDEX'] },
  migrateFollowIntervalMs: num('MIGRATE_FOLLOW_INTERVAL_MS'),
  migrateFollowOrigin: { vars: ['MIGRATE_FOLLOW_ORIGIN'] },
  migrateFollowLookbackMs: num('MIGRATE_FOLLOW_LOOKBACK_MS'),
  migrateFollowPageSize: num('MIGRATE_FOLLOW_PAGE_SIZE'),
};

/** Fields built from several variables, named for error messages. */
const derivedNames = new Map<string, string>([
  ['redisClusterNodes', 'REDIS_CLUSTER_NODES'],
  ['relayPeers', 'SYNC_RELAYS (or GUN_PEERS)'],
  ['recordTypes', 'SYNC_RECORD_TYPES / RECORD_TYPE_INDEX_WHITELIST'],
  ['store', STORE_ENV_VARS],
]);
const nameOf = (key: string): string => derivedNames.get(key) ?? key;

/** Values compared without regard to case. */
const CASELESS = ['recordTypeMode', 'onMappingConflict', 'unsignedRecords', 'migrateFollowOrigin'] as const;

/**
 * `ws://host:port/gun?token=…` (GUN_PEERS) → `http://host:port/gun-relay`, as the legacy node does
 * for HTTP sync; http(s) URLs pass unchanged (trailing slash removed). The query (the websocket
 * write token) and user info are dropped: HTTP reads need neither. gun-client's one rule.
 */
export function relayUrlFromPeer(peer: string): string {
  return peerBaseCandidates(peer)[0] ?? peer;
}

/** The record types whose indexes are read: SYNC_RECORD_TYPES (default every known type) after the mode's filter. */
function recordTypesOf(env: Env, mode: unknown): string[] {
  const list = (name: string) => splitList(env[name] ?? '');
  const all = list('SYNC_RECORD_TYPES');
  const allTypes = all.length > 0 ? all : [...KNOWN_RECORD_TYPES];
  if (mode === 'whitelist') return list('RECORD_TYPE_INDEX_WHITELIST');
  if (mode !== 'blacklist') return allTypes;
  const black = new Set(list('RECORD_TYPE_INDEX_BLACKLIST'));
  return allTypes.filter((t) => !black.has(t));
}

/** Reads, defaults and validates the config; throws ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): Config {
  const raw = readEnv(env, spec);
  for (const key of CASELESS) if (typeof raw[key] === 'string') raw[key] = raw[key].toLowerCase();
  const seeds = firstSet(env, ['REDIS_CLUSTER_NODES']);
  if (seeds) raw.redisClusterNodes = parseRedisClusterNodes(seeds.value, seeds.name);
  const peers = (raw.relays as string[] | undefined) ?? ['http://127.0.0.1:8765'];
  raw.relays = peers.map(relayUrlFromPeer);
  raw.relayPeers = Object.fromEntries(
    peers.filter((p) => /^wss?:\/\//.test(p)).map((p) => [relayUrlFromPeer(p), peerWithoutCredentials(p)]),
  );
  raw.recordTypes = recordTypesOf(env, raw.recordTypeMode ?? 'all');
  raw.store = storeConfigFromEnv(env);
  return checked(validateConfig(ConfigSchema, raw, spec, nameOf, env));
}

/** Validates a config object (defaults applied); tests and the bench build configs with it. */
export function parseConfig(raw: Record<string, unknown>): Config {
  return checked(validateConfig(ConfigSchema, raw, spec, nameOf));
}

/** The checks a schema cannot express: a Redis URL, and on a cluster its seeds and a hash-tagged prefix. */
function checked(config: Config): Config {
  checkRedisUrl(config.redisUrl, 'REDIS_URL');
  if (config.redisClusterNodes.length > 0) {
    parseRedisClusterNodes(config.redisClusterNodes.join(','), 'REDIS_CLUSTER_NODES');
    checkClusterPrefix(config.queuePrefix, 'SYNC_QUEUE_PREFIX');
  }
  return config;
}
