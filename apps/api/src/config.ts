// The only file of the api that reads process.env. Prefixed names (API_*) win over the bare
// PORT/HOST a shared environment may hold; the legacy ELASTICSEARCH_* names select the ES store.
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { StoreConfigSchema, storeConfigFromEnv } from '@oip/record-store';
import {
  ConfigError,
  LogLevelSchema,
  checkClusterPrefix,
  checkRedisUrl,
  checkTrustProxy,
  firstSet,
  parseRedisClusterNodes,
  parseTrustProxy,
  readEnv,
  validateConfig,
  TrustProxySchema,
  envNameOf,
  type Env,
  type EnvSpec,
} from '@oip/service-kit';

export const ConfigSchema = Type.Object({
  /** HTTP port (the legacy API's port). @defaultValue 3005 */
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 3005 }),
  /** @defaultValue 127.0.0.1 */
  host: Type.String({ minLength: 1, default: '127.0.0.1' }),
  /** sqlite dataDir | elasticsearch url/index/credentials (@oip/record-store's one schema). */
  store: StoreConfigSchema,
  /** Our relay (gun-proxy), for drefs missing from the store. @defaultValue http://127.0.0.1:8765 */
  relayUrl: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8765' }),
  /** Bearer token for writes to our relay (gun-proxy's GUNPROXY_AUTH_TOKEN in token mode). */
  relayAuthToken: Type.Optional(Type.String({ minLength: 1 })),
  /** Sockets to the relay. @defaultValue 16 */
  relayConnections: Type.Integer({ minimum: 1, maximum: 256, default: 16 }),
  /** Relay request timeout. @defaultValue 5000 */
  relayTimeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 5000 }),
  /** Largest resolveDepth accepted (400 above). @defaultValue 3 */
  maxResolveDepth: Type.Integer({ minimum: 0, maximum: 10, default: 3 }),
  /** Most records resolved for one request, all levels together (400 past it). @defaultValue 2000 */
  maxResolveNodes: Type.Integer({ minimum: 1, maximum: 100_000, default: 2000 }),
  /**
   * searchResults is exact up to this many matches; past it the store may stop counting and the
   * envelope says searchResultsRelation 'gte' (as Elasticsearch's track_total_hits). 0: always
   * exact. A request's exactTotal=true asks for the exact count. @defaultValue 1000
   */
  recordsTotalCap: Type.Integer({ minimum: 0, maximum: 10_000, default: 1000 }),
  /** Records fetched from the relay for drefs, kept for the next pages: JSON characters in all (0: none). @defaultValue 8 MiB */
  relayCacheBytes: Type.Integer({ minimum: 0, maximum: 1024 * 1024 * 1024, default: 8 * 1024 * 1024 }),
  /** How long such a record is kept. @defaultValue 60000 */
  relayCacheTtlMs: Type.Integer({ minimum: 1, maximum: 24 * 3600_000, default: 60_000 }),
  /** Relay lookups of missing drefs in flight at once per request. @defaultValue 8 */
  relayConcurrency: Type.Integer({ minimum: 1, maximum: 64, default: 8 }),
  /** Request body limit, bytes. @defaultValue 1 MiB */
  bodyLimitBytes: Type.Integer({ minimum: 1024, default: 1024 * 1024 }),
  /**
   * HS256 secret of the tokens the node issues (legacy JWT_SECRET). Required from the
   * environment (loadConfig refuses to start without one; `oip up` creates one under .data/).
   * A config object built without one (tests) reads anonymously and refuses every bearer token (403).
   */
  jwtSecret: Type.Optional(Type.String({ minLength: 16 })),
  /**
   * The node secret publishers' signing keys are kept under, so the api signs what it publishes to
   * GUN (@oip/accounts key-custody.ts); the sync-worker needs the same one. @defaultValue the JWT secret
   */
  custodySecret: Type.Optional(Type.String({ minLength: 16 })),
  /**
   * Unsigned (legacy) records read from the relay for drefs the store lacks: `refuse`, or `accept`
   * those whose creator key is their soul's publisher; the node's SYNC_UNSIGNED_RECORDS is read too,
   * so the api believes what the sync-worker believes. Signed records are always verified. @defaultValue 'refuse'
   */
  unsignedRecords: Type.Union([Type.Literal('refuse'), Type.Literal('accept')], { default: 'refuse' }),
  /** Redis of the sync-worker, read by /api/health/gun-sync. @defaultValue redis://127.0.0.1:6379 */
  redisUrl: Type.String({ minLength: 1, default: 'redis://127.0.0.1:6379' }),
  /** Redis Cluster seeds (`host:port`) instead of one Redis; REDIS_URL then lends only its credentials. @defaultValue [] */
  redisClusterNodes: Type.Array(Type.String({ minLength: 3, maxLength: 300 }), { maxItems: 64, default: [] }),
  /** The sync-worker's BullMQ prefix (SYNC_QUEUE_PREFIX); with a hash tag (`{oip}`) on a cluster. @defaultValue oip */
  queuePrefix: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.{}-]+$', default: 'oip' }),
  /** How long /api/health/gun-sync waits for Redis before answering 503. @defaultValue 1000 */
  syncStatusTimeoutMs: Type.Integer({ minimum: 50, maximum: 30_000, default: 1000 }),
  /**
   * POST /api/health/gun-sync/force starts a discovery pass at most once per this many ms, across
   * every api process on the queue prefix; a request inside it is answered 200 with when the next
   * pass runs. @defaultValue 60000
   */
  forceSyncIntervalMs: Type.Integer({ minimum: 100, maximum: 24 * 3600_000, default: 60_000 }),
  /** apps/media, the upstream of the gateway's /api/media/*. @defaultValue http://127.0.0.1:3006 */
  mediaUrl: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:3006' }),
  /**
   * The base URL clients reach the api at (e.g. https://node.example.org behind a reverse proxy):
   * media URLs in its answers (an upload's httpUrl, a media record's webUrl) are on it.
   * @defaultValue the request's protocol and host
   */
  publicUrl: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+(/[^\\s]*)?$' })),
  /** Gateway: how long an upstream may take to answer (504 past it). @defaultValue 30000 */
  gatewayTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 30_000 }),
  /** Gateway: largest request body forwarded (media uploads). @defaultValue 500 MiB */
  gatewayBodyLimitBytes: Type.Integer({ minimum: 1024, default: 500 * 1024 * 1024 }),
  /** Gateway: sockets per upstream. @defaultValue 64 */
  gatewayConnections: Type.Integer({ minimum: 1, maximum: 1024, default: 64 }),
  /** Our node id in the GUN registry (16 hex; the sync-worker's SYNC_NODE_ID). @defaultValue derived from the host name and port */
  nodeId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{16}$' })),
  /** GUN registry root (GUN_REGISTRY_ROOT). @defaultValue oip:registry */
  registryRoot: Type.String({ minLength: 1, maxLength: 200, default: 'oip:registry' }),
  /** Writes (publish, delete, index) per caller per minute. @defaultValue 60 */
  writeRateLimit: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 60 }),
  /** Login and register attempts per client address per minute. @defaultValue 10 */
  loginRateLimit: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10 }),
  /**
   * Reverse proxies whose X-Forwarded-For gives the client address (Fastify's trustProxy), so the
   * rate limits count each client behind the proxy: false, true, or the proxy's IPs/CIDRs
   * (API_TRUST_PROXY=127.0.0.1,10.0.0.0/8). @defaultValue false
   */
  trustProxy: TrustProxySchema,
  /** Accounts index when the store is Elasticsearch (never the records index). @defaultValue accounts */
  accountsIndex: Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-z0-9][a-z0-9._-]*$', default: 'accounts' }),
  /**
   * Ignored (API_ADMIN_EMAILS made whoever first registered a listed address an admin): admins are
   * granted on the node with `node scripts/oip.mjs admin grant <email>`. Still read so a set value
   * is warned about at start instead of silently dropped. @defaultValue none
   */
  adminEmails: Type.Array(Type.String({ minLength: 3, maxLength: 254 }), { maxItems: 100, default: [] }),
  /**
   * How long the state of a token's account (exists? admin?) is remembered, ms: a deleted account
   * or a revoked admin takes effect within this. 0 reads the accounts store on every request. @defaultValue 10000
   */
  accountCacheTtlMs: Type.Integer({ minimum: 0, maximum: 300_000, default: 10_000 }),
  /** Most accounts whose state is remembered. @defaultValue 10000 */
  accountCacheMax: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10_000 }),
  /**
   * Requests answer 503 MEMGUARD_UNDER_PRESSURE while the mean event-loop delay is above this, ms;
   * 0 turns this shedding off (heap shedding stays). @defaultValue 1000
   */
  maxEventLoopDelayMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 1000 }),
  logLevel: LogLevelSchema,
});

export type Config = Static<typeof ConfigSchema>;

const spec: EnvSpec = {
  port: { vars: ['API_PORT', 'PORT'], kind: 'int' },
  host: { vars: ['API_HOST', 'HOST'] },
  relayUrl: { vars: ['API_RELAY_URL', 'GUN_RELAY_URL'] },
  relayAuthToken: { vars: ['API_RELAY_AUTH_TOKEN', 'GUNPROXY_AUTH_TOKEN'] },
  relayConnections: { vars: ['API_RELAY_CONNECTIONS'], kind: 'int' },
  relayTimeoutMs: { vars: ['API_RELAY_TIMEOUT_MS'], kind: 'int' },
  maxResolveDepth: { vars: ['API_MAX_RESOLVE_DEPTH'], kind: 'int' },
  maxResolveNodes: { vars: ['API_MAX_RESOLVE_NODES'], kind: 'int' },
  recordsTotalCap: { vars: ['API_RECORDS_TOTAL_CAP'], kind: 'int' },
  relayCacheBytes: { vars: ['API_RELAY_CACHE_BYTES'], kind: 'int' },
  relayCacheTtlMs: { vars: ['API_RELAY_CACHE_TTL_MS'], kind: 'int' },
  relayConcurrency: { vars: ['API_RELAY_CONCURRENCY'], kind: 'int' },
  bodyLimitBytes: { vars: ['API_BODY_LIMIT_BYTES'], kind: 'int' },
  jwtSecret: { vars: ['API_JWT_SECRET', 'JWT_SECRET'] },
  custodySecret: { vars: ['API_CUSTODY_SECRET', 'CUSTODY_SECRET'] },
  unsignedRecords: { vars: ['API_UNSIGNED_RECORDS', 'SYNC_UNSIGNED_RECORDS'] },
  redisUrl: { vars: ['API_REDIS_URL', 'REDIS_URL'] },
  redisClusterNodes: { vars: ['API_REDIS_CLUSTER_NODES', 'REDIS_CLUSTER_NODES'] },
  queuePrefix: { vars: ['API_QUEUE_PREFIX', 'SYNC_QUEUE_PREFIX'] },
  syncStatusTimeoutMs: { vars: ['API_SYNC_STATUS_TIMEOUT_MS'], kind: 'int' },
  forceSyncIntervalMs: { vars: ['API_FORCE_SYNC_INTERVAL_MS'], kind: 'int' },
  mediaUrl: { vars: ['API_MEDIA_URL', 'MEDIA_URL'] },
  publicUrl: { vars: ['API_PUBLIC_URL'] },
  gatewayTimeoutMs: { vars: ['API_GATEWAY_TIMEOUT_MS'], kind: 'int' },
  gatewayBodyLimitBytes: { vars: ['API_GATEWAY_BODY_LIMIT_BYTES'], kind: 'int' },
  gatewayConnections: { vars: ['API_GATEWAY_CONNECTIONS'], kind: 'int' },
  nodeId: { vars: ['API_NODE_ID', 'SYNC_NODE_ID', 'GUN_NODE_ID_OVERRIDE'] },
  registryRoot: { vars: ['API_REGISTRY_ROOT', 'GUN_REGISTRY_ROOT'] },
  writeRateLimit: { vars: ['API_WRITE_RATE_LIMIT'], kind: 'int' },
  loginRateLimit: { vars: ['API_LOGIN_RATE_LIMIT'], kind: 'int' },
  trustProxy: { vars: ['API_TRUST_PROXY'] },
  accountsIndex: { vars: ['API_ACCOUNTS_INDEX'] },
  adminEmails: { vars: ['API_ADMIN_EMAILS'], kind: 'list' },
  accountCacheTtlMs: { vars: ['API_ACCOUNT_CACHE_TTL_MS'], kind: 'int' },
  accountCacheMax: { vars: ['API_ACCOUNT_CACHE_MAX'], kind: 'int' },
  maxEventLoopDelayMs: { vars: ['API_MAX_EVENT_LOOP_DELAY_MS'], kind: 'int' },
  logLevel: { vars: ['API_LOG_LEVEL', 'LOG_LEVEL'] },
};

export interface LoadConfigOptions {
  /** Refuse to start without a JWT secret (the server). The operator's CLI issues no tokens. @defaultValue true */
  requireJwtSecret?: boolean;
}

/** Reads the config from an environment; throws ConfigError naming the variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd(), options: LoadConfigOptions = {}): Config {
  const raw = readEnv(env, spec);
  const seeds = firstSet(env, spec.redisClusterNodes!.vars);
  if (seeds) raw.redisClusterNodes = parseRedisClusterNodes(seeds.value, seeds.name);
  const trust = firstSet(env, spec.trustProxy!.vars);
  if (trust) raw.trustProxy = parseTrustProxy(trust.name, trust.value);
  // API_STORE_DATA_DIR before the shared STORE_DATA_DIR; relative dirs resolve against cwd.
  raw.store = storeConfigFromEnv(env, {
    dataDirVar: 'API_STORE_DATA_DIR',
    resolveDataDir: (d) => path.resolve(cwd, d),
  });
  // Errors name the prefix variable this environment set (API_QUEUE_PREFIX or SYNC_QUEUE_PREFIX).
  const config = parseConfig(raw, firstSet(env, spec.queuePrefix!.vars)?.name);
  // No default secret: a node that issues tokens must be given its own.
  if (config.jwtSecret === undefined && options.requireJwtSecret !== false) {
    throw new ConfigError(
      'API_JWT_SECRET (or JWT_SECRET) is required: set a random secret of at least 16 characters (node scripts/oip.mjs up creates one under .data/)',
      { variable: 'API_JWT_SECRET' },
    );
  }
  return config;
}

/** Validates a config object (defaults applied); tests build configs with it. */
export function parseConfig(input: Record<string, unknown>, prefixVariable = 'API_QUEUE_PREFIX'): Config {
  const config = validateConfig(ConfigSchema, input, { ...spec, store: { vars: ['STORE_KIND'] } }, (k) =>
    envNameOf('API', k),
  );
  checkRedisUrl(config.redisUrl, 'API_REDIS_URL');
  checkTrustProxy(config.trustProxy, 'API_TRUST_PROXY');
  if (config.redisClusterNodes.length > 0) {
    parseRedisClusterNodes(config.redisClusterNodes.join(','), 'API_REDIS_CLUSTER_NODES');
    // Every key of the prefix in one slot: BullMQ's and the sync state's scripts touch several at once.
    checkClusterPrefix(config.queuePrefix, prefixVariable);
  }
  return config;
}
