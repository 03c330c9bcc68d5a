// The only file of gun-proxy that reads process.env, through the kit's readEnv: each field's
// variables in precedence order, the GUNPROXY_ name first, then legacy relay aliases (so a legacy
// deployment's environment keeps working), then bare PORT/HOST (so apps sharing one environment
// never take each other's port).
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import {
  ConfigError,
  envNameOf,
  isLoopbackHost,
  LogLevelSchema,
  readEnv,
  validateConfig,
  type Env,
  type EnvSpec,
} from '@oip/service-kit';
import { KNOWN_RECORD_TYPES } from '@oip/records';
import { peerUrlProblem } from './services/peer-allowlist.js';

export const AuthMode = Type.Union([Type.Literal('none'), Type.Literal('token'), Type.Literal('hmac')]);

export const ConfigSchema = Type.Object({
  /** HTTP port (the legacy relay's port). @defaultValue 8765 */
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8765 }),
  /** Listen address. @defaultValue 127.0.0.1 */
  host: Type.String({ minLength: 1, default: '127.0.0.1' }),
  /** Directory of the GUN graph store (SQLite file `graph.sqlite`). @defaultValue `.data/gun-proxy` under cwd */
  dataDir: Type.String({ minLength: 1 }),
  /** Websocket peers (`ws://host:port/gun`) this node connects to. Only these are ever dialled. @defaultValue [] */
  peers: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  /** Host names (or `host:port`) a configured peer must match; empty = only loopback peers. @defaultValue [] */
  peerAllowlist: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  /** Path of the websocket peering endpoint on the HTTP port. @defaultValue /gun */
  wsPath: Type.String({ minLength: 1, default: '/gun' }),
  /** Most inbound websocket peers at once. @defaultValue 64 */
  maxInboundPeers: Type.Integer({ minimum: 0, default: 64 }),
  /** Largest websocket message accepted from a peer, bytes. @defaultValue 8 MiB */
  maxPeerMessageBytes: Type.Integer({ minimum: 1024, default: 8 * 1024 * 1024 }),
  /** How long `/get` of a soul missing locally waits for peers before 404. @defaultValue 500 */
  getMissWaitMs: Type.Integer({ minimum: 0, maximum: 30_000, default: 500 }),
  /** How long a write waits for the local storage ack before failing. @defaultValue 10000 */
  putTimeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  /** Request body limit, bytes (413 above). @defaultValue 1 MiB */
  bodyLimitBytes: Type.Integer({ minimum: 1024, default: 1024 * 1024 }),
  /** Write auth: none, a shared bearer token, or an HMAC-SHA256 of the raw body. @defaultValue none on loopback */
  authMode: AuthMode,
  /** Shared secret for `token` and `hmac` auth. */
  authToken: Type.Optional(Type.String({ minLength: 16 })),
  /**
   * Tokens inbound websocket peers may present when write auth is on (`Authorization: Bearer` or
   * `?token=` on the upgrade). In `token` mode `authToken` is accepted too; in `hmac` mode it is not
   * (the HMAC secret never travels). @defaultValue []
   */
  peerTokens: Type.Array(Type.String({ minLength: 16 }), { default: [] }),
  /** With write auth on, accept websocket peers without a credential as read-only (puts dropped). @defaultValue false */
  wsAnonymousReads: Type.Boolean({ default: false }),
  /** Entries of the in-memory publisher-index LRU (soul → recordType). @defaultValue 10000 */
  indexLruSize: Type.Integer({ minimum: 1, default: 10_000 }),
  /** Largest page of `/list`. @defaultValue 500 */
  listMaxLimit: Type.Integer({ minimum: 1, default: 500 }),
  /** SQLite page cache, KiB (bounds the store's memory). @defaultValue 8192 */
  sqliteCacheKiB: Type.Integer({ minimum: 256, default: 8192 }),
  /** Deepest nesting of a request body (400 GUNPROXY_TOO_DEEP past it). @defaultValue 64 */
  maxBodyDepth: Type.Integer({ minimum: 8, maximum: 10_000, default: 64 }),
  /** Bytes one `/get` answer may assemble; links past it stay links. @defaultValue 8 MiB */
  getMaxBytes: Type.Integer({ minimum: 64 * 1024, default: 8 * 1024 * 1024 }),
  /** Most keys a node may hold: an HTTP write that would pass it is refused (GUNPROXY_NODE_TOO_LARGE). @defaultValue 100000 */
  maxNodeKeys: Type.Integer({ minimum: 100, default: 100_000 }),
  /** HMAC mode: how far `x-oip-timestamp` may be from now, seconds (replays inside it are refused too). @defaultValue 300 */
  hmacWindowSeconds: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  /** HMAC mode: signatures remembered to refuse replays (in memory, TTL = the window). @defaultValue 100000 */
  hmacNonceMax: Type.Integer({ minimum: 100, default: 100_000 }),
  /** Registry root of index souls. @defaultValue oip:registry */
  registryRoot: Type.String({ minLength: 1, default: 'oip:registry' }),
  /** Catch up with each peer when its socket opens (registry index souls, deletion index, entry nodes). @defaultValue true */
  catchUp: Type.Boolean({ default: true }),
  /**
   * Record types whose registry index is asked for on catch-up, besides the types whose index souls
   * the store already holds (the sync-worker's SYNC_RECORD_TYPES when it narrows them). @defaultValue the legacy record types (@oip/records' KNOWN_RECORD_TYPES)
   */
  catchUpRecordTypes: Type.Array(Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.-]+$' }), {
    maxItems: 1000,
    default: [...KNOWN_RECORD_TYPES],
  }),
  /** Most registry entry links followed per catch-up run. @defaultValue 10000 */
  catchUpMaxLinks: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 10_000 }),
  /** Catch-up asks in flight per peer. @defaultValue 4 */
  catchUpConcurrency: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
  /** How long one catch-up ask waits for the peer. @defaultValue 5000 */
  catchUpAskTimeoutMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000 }),
  /** How long one catch-up run may take in all. @defaultValue 120000 */
  catchUpTimeoutMs: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 120_000 }),
  /** pino log level. @defaultValue info */
  logLevel: LogLevelSchema,
});

export type Config = Static<typeof ConfigSchema>;

export { ConfigError, isLoopbackHost };

/** Where each field is read from; the first variable named is the one errors name. */
const ENV_SPEC: EnvSpec = {
  port: { vars: ['GUNPROXY_PORT', 'PORT'], kind: 'int' },
  host: { vars: ['GUNPROXY_HOST', 'HOST'] },
  dataDir: { vars: ['GUNPROXY_DATA_DIR', 'GUN_DATA_DIR'] },
  peers: { vars: ['GUNPROXY_PEERS', 'GUN_PEERS'], kind: 'list' },
  peerAllowlist: { vars: ['GUNPROXY_PEER_ALLOWLIST', 'GUN_ALLOWED_DOMAINS'], kind: 'list' },
  wsPath: { vars: ['GUNPROXY_WS_PATH'] },
  maxInboundPeers: { vars: ['GUNPROXY_MAX_INBOUND_PEERS'], kind: 'int' },
  maxPeerMessageBytes: { vars: ['GUNPROXY_MAX_PEER_MESSAGE_BYTES'], kind: 'int' },
  getMissWaitMs: { vars: ['GUNPROXY_GET_MISS_WAIT_MS'], kind: 'int' },
  putTimeoutMs: { vars: ['GUNPROXY_PUT_TIMEOUT_MS'], kind: 'int' },
  bodyLimitBytes: { vars: ['GUNPROXY_BODY_LIMIT_BYTES'], kind: 'int' },
  authMode: { vars: ['GUNPROXY_AUTH_MODE'] },
  authToken: { vars: ['GUNPROXY_AUTH_TOKEN'] },
  peerTokens: { vars: ['GUNPROXY_PEER_TOKENS'], kind: 'list' },
  // Read as text: only true/false/1/0 are accepted here (the kit would also take yes/no/on/off).
  wsAnonymousReads: { vars: ['GUNPROXY_WS_ANONYMOUS_READS'] },
  indexLruSize: { vars: ['GUNPROXY_INDEX_LRU_SIZE'], kind: 'int' },
  listMaxLimit: { vars: ['GUNPROXY_LIST_MAX_LIMIT'], kind: 'int' },
  sqliteCacheKiB: { vars: ['GUNPROXY_SQLITE_CACHE_KIB'], kind: 'int' },
  maxBodyDepth: { vars: ['GUNPROXY_MAX_BODY_DEPTH'], kind: 'int' },
  getMaxBytes: { vars: ['GUNPROXY_GET_MAX_BYTES'], kind: 'int' },
  maxNodeKeys: { vars: ['GUNPROXY_MAX_NODE_KEYS'], kind: 'int' },
  hmacWindowSeconds: { vars: ['GUNPROXY_HMAC_WINDOW_SECONDS'], kind: 'int' },
  hmacNonceMax: { vars: ['GUNPROXY_HMAC_NONCE_MAX'], kind: 'int' },
  registryRoot: { vars: ['GUNPROXY_REGISTRY_ROOT', 'GUN_REGISTRY_ROOT'] },
  // Read as text: only true/false/1/0 are accepted (see strictBool).
  catchUp: { vars: ['GUNPROXY_CATCHUP'] },
  catchUpRecordTypes: { vars: ['GUNPROXY_CATCHUP_RECORD_TYPES'], kind: 'list' },
  catchUpMaxLinks: { vars: ['GUNPROXY_CATCHUP_MAX_LINKS'], kind: 'int' },
  catchUpConcurrency: { vars: ['GUNPROXY_CATCHUP_CONCURRENCY'], kind: 'int' },
  catchUpAskTimeoutMs: { vars: ['GUNPROXY_CATCHUP_ASK_TIMEOUT_MS'], kind: 'int' },
  catchUpTimeoutMs: { vars: ['GUNPROXY_CATCHUP_TIMEOUT_MS'], kind: 'int' },
  logLevel: { vars: ['GUNPROXY_LOG_LEVEL', 'LOG_LEVEL'] },
};

/** The legacy relay's second peer list, merged into `peers`. */
const EXTRA_SPEC: EnvSpec = { externalPeers: { vars: ['GUN_EXTERNAL_PEERS'], kind: 'list' } };

function strictBool(name: string, value: unknown): unknown {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  if (value === undefined) return undefined;
  throw new ConfigError(`${name} must be true or false, got "${String(value)}"`, { variable: name });
}

/**
 * Reads the configuration from an environment (default `process.env`), applying defaults and the
 * legacy aliases (`GUN_PEERS`, `GUN_EXTERNAL_PEERS`, `GUN_ALLOWED_DOMAINS`, `GUN_DATA_DIR`,
 * `GUN_REGISTRY_ROOT`). Throws ConfigError naming the variable when a value is invalid.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const raw = readEnv(env, ENV_SPEC);
  const { externalPeers } = readEnv(env, EXTRA_SPEC) as { externalPeers?: string[] };
  raw.peers = [...new Set([...((raw.peers as string[] | undefined) ?? []), ...(externalPeers ?? [])])];
  raw.dataDir = path.resolve(cwd, (raw.dataDir as string | undefined) ?? '.data/gun-proxy');
  raw.authMode ??= raw.authToken ? 'token' : 'none';
  const anonymous = strictBool('GUNPROXY_WS_ANONYMOUS_READS', raw.wsAnonymousReads);
  if (anonymous === undefined) delete raw.wsAnonymousReads;
  else raw.wsAnonymousReads = anonymous;
  const catchUp = strictBool('GUNPROXY_CATCHUP', raw.catchUp);
  if (catchUp === undefined) delete raw.catchUp;
  else raw.catchUp = catchUp;
  return parseConfig(raw);
}

/** Validates a plain object against the schema (defaults applied) and the cross-field rules. */
export function parseConfig(input: Record<string, unknown>): Config {
  const config = validateConfig(ConfigSchema, { authMode: 'none', ...input }, ENV_SPEC, (key) =>
    envNameOf('GUNPROXY', key),
  );
  if (config.authMode !== 'none' && !config.authToken) {
    throw new ConfigError(`GUNPROXY_AUTH_TOKEN is required when GUNPROXY_AUTH_MODE=${config.authMode}`, {
      variable: 'GUNPROXY_AUTH_TOKEN',
    });
  }
  if (config.authMode === 'none' && !isLoopbackHost(config.host)) {
    throw new ConfigError(
      `GUNPROXY_AUTH_MODE=none is only allowed on a loopback HOST (got HOST=${config.host}); set GUNPROXY_AUTH_TOKEN`,
      {
        variable: 'GUNPROXY_AUTH_MODE',
      },
    );
  }
  for (const peer of config.peers) {
    const problem = peerUrlProblem(peer, config.peerAllowlist);
    if (problem)
      throw new ConfigError(`invalid GUNPROXY_PEERS (or GUN_PEERS): ${problem}`, { variable: 'GUNPROXY_PEERS' });
  }
  return config;
}
