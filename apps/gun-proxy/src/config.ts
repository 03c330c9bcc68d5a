// The only file of gun-proxy that reads process.env. Legacy relay variable names are accepted as
// aliases so a legacy deployment's environment keeps working.
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isLoopbackHost } from './services/loopback.js';
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
  /** pino log level. @defaultValue info */
  logLevel: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')],
    { default: 'info' },
  ),
});

export type Config = Static<typeof ConfigSchema>;

/** Thrown for invalid configuration; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const first = (env: Env, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
};
const list = (v: string | undefined): string[] =>
  v === undefined ? [] : v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

function bool(env: Env, name: string): boolean | undefined {
  const raw = first(env, name);
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function int(env: Env, names: string[]): number | undefined {
  const raw = first(env, ...names);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new ConfigError(`${names[0]} must be an integer, got "${raw}"`);
  return n;
}

/** True when the host only accepts connections from this machine (literal loopback addresses only). */
export { isLoopbackHost };

/**
 * Reads the configuration from an environment (default `process.env`), applying defaults and the
 * legacy aliases (`GUN_PEERS`, `GUN_EXTERNAL_PEERS`, `GUN_ALLOWED_DOMAINS`, `GUN_REGISTRY_ROOT`).
 * Throws ConfigError naming the variable when a value is invalid.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const host = first(env, 'HOST', 'GUNPROXY_HOST') ?? '127.0.0.1';
  const authToken = first(env, 'GUNPROXY_AUTH_TOKEN');
  const modeRaw = first(env, 'GUNPROXY_AUTH_MODE');
  const authMode = modeRaw ?? (authToken ? 'token' : 'none');
  const peers = [...new Set([...list(first(env, 'GUNPROXY_PEERS', 'GUN_PEERS')), ...list(first(env, 'GUN_EXTERNAL_PEERS'))])];
  const raw: Record<string, unknown> = {
    port: int(env, ['PORT', 'GUNPROXY_PORT']),
    host,
    dataDir: path.resolve(cwd, first(env, 'GUNPROXY_DATA_DIR', 'GUN_DATA_DIR') ?? '.data/gun-proxy'),
    peers,
    peerAllowlist: list(first(env, 'GUNPROXY_PEER_ALLOWLIST', 'GUN_ALLOWED_DOMAINS')),
    wsPath: first(env, 'GUNPROXY_WS_PATH'),
    maxInboundPeers: int(env, ['GUNPROXY_MAX_INBOUND_PEERS']),
    maxPeerMessageBytes: int(env, ['GUNPROXY_MAX_PEER_MESSAGE_BYTES']),
    getMissWaitMs: int(env, ['GUNPROXY_GET_MISS_WAIT_MS']),
    putTimeoutMs: int(env, ['GUNPROXY_PUT_TIMEOUT_MS']),
    bodyLimitBytes: int(env, ['GUNPROXY_BODY_LIMIT_BYTES']),
    authMode,
    authToken,
    peerTokens: list(first(env, 'GUNPROXY_PEER_TOKENS')),
    wsAnonymousReads: bool(env, 'GUNPROXY_WS_ANONYMOUS_READS'),
    indexLruSize: int(env, ['GUNPROXY_INDEX_LRU_SIZE']),
    listMaxLimit: int(env, ['GUNPROXY_LIST_MAX_LIMIT']),
    sqliteCacheKiB: int(env, ['GUNPROXY_SQLITE_CACHE_KIB']),
    maxBodyDepth: int(env, ['GUNPROXY_MAX_BODY_DEPTH']),
    getMaxBytes: int(env, ['GUNPROXY_GET_MAX_BYTES']),
    maxNodeKeys: int(env, ['GUNPROXY_MAX_NODE_KEYS']),
    hmacWindowSeconds: int(env, ['GUNPROXY_HMAC_WINDOW_SECONDS']),
    hmacNonceMax: int(env, ['GUNPROXY_HMAC_NONCE_MAX']),
    registryRoot: first(env, 'GUN_REGISTRY_ROOT', 'GUNPROXY_REGISTRY_ROOT'),
    logLevel: first(env, 'LOG_LEVEL'),
  };
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  return parseConfig(raw);
}

const VAR_OF: Record<string, string> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'GUNPROXY_DATA_DIR',
  peers: 'GUN_PEERS',
  peerAllowlist: 'GUNPROXY_PEER_ALLOWLIST',
  authMode: 'GUNPROXY_AUTH_MODE',
  authToken: 'GUNPROXY_AUTH_TOKEN',
  logLevel: 'LOG_LEVEL',
};

/** Validates a plain object against the schema (defaults applied) and the cross-field rules. */
export function parseConfig(input: Record<string, unknown>): Config {
  const withDefaults = Value.Default(ConfigSchema, structuredClone(input)) as Record<string, unknown>;
  if (withDefaults.authMode === undefined) withDefaults.authMode = 'none';
  const err = Value.Errors(ConfigSchema, withDefaults).First();
  if (err) {
    const key = err.path.split('/')[1] ?? '';
    const name = VAR_OF[key] ?? `GUNPROXY_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    throw new ConfigError(`invalid ${name}: ${err.message}`);
  }
  const config = withDefaults as Config;
  if (config.authMode !== 'none' && !config.authToken) {
    throw new ConfigError(`GUNPROXY_AUTH_TOKEN is required when GUNPROXY_AUTH_MODE=${config.authMode}`);
  }
  if (config.authMode === 'none' && !isLoopbackHost(config.host)) {
    throw new ConfigError(`GUNPROXY_AUTH_MODE=none is only allowed on a loopback HOST (got HOST=${config.host}); set GUNPROXY_AUTH_TOKEN`);
  }
  for (const peer of config.peers) {
    const problem = peerUrlProblem(peer, config.peerAllowlist);
    if (problem) throw new ConfigError(`invalid GUN_PEERS: ${problem}`);
  }
  return config;
}
