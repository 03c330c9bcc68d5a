// The only file of media that reads process.env. MEDIA_* names win over the legacy names
// (MEDIA_DIR, JWT_SECRET, GUN_RELAY_URL, GUNPROXY_AUTH_TOKEN) and over the bare PORT/HOST a shared
// environment may hold.
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import {
  ConfigError,
  LogLevelSchema,
  envNameOf,
  readEnv,
  validateConfig,
  type Env,
  type EnvSpec,
} from '@oip/service-kit';
import { parseAllowedOrigin } from './services/peer-origin.js';
import { WEB_PROJECT_PATTERN } from './services/web-paths.js';

export const ConfigSchema = Type.Object({
  /** HTTP port (the api gateway's API_MEDIA_URL default). @defaultValue 3006 */
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 3006 }),
  /** @defaultValue 127.0.0.1 */
  host: Type.String({ minLength: 1, default: '127.0.0.1' }),
  /**
   * Media directory, the legacy layout `<dir>/<mediaId>/original` + `manifest.json`; temp files in
   * `<dir>/.tmp` (swept at start: one media process per directory). @defaultValue `.data/media` under cwd
   */
  mediaDir: Type.String({ minLength: 1 }),
  /**
   * HS256 secret of the node's tokens (the api's JWT_SECRET). Required from the environment; a
   * config object without one (tests) serves public media only and refuses every bearer token (403).
   */
  jwtSecret: Type.Optional(Type.String({ minLength: 16 })),
  /**
   * Public base URL clients reach this media service at (often the api's public URL, which
   * forwards /api/media/*): `httpUrl` is `<publicUrl>/api/media/<id>`, and it is the HTTP endpoint
   * our presence announces. @defaultValue `http://127.0.0.1:<port>`
   */
  publicUrl: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
  /** Largest upload, bytes (413 past it). @defaultValue 500 MiB, as legacy */
  maxUploadBytes: Type.Integer({ minimum: 1, default: 500 * 1024 * 1024 }),
  /** Manifests kept in memory (LRU). @defaultValue 10000 */
  manifestCacheSize: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 10_000 }),
  /** A socket with no traffic for this long is destroyed, and its file stream with it. @defaultValue 60000 */
  idleTimeoutMs: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 60_000 }),
  /** Longest time to receive one request, body included (large uploads on slow links). @defaultValue 3600000 */
  requestTimeoutMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 3_600_000 }),
  /** Read buffer of file streams, bytes. @defaultValue 256 KiB */
  readChunkBytes: Type.Integer({ minimum: 16 * 1024, maximum: 8 * 1024 * 1024, default: 256 * 1024 }),
  /** Our relay (gun-proxy): manifests and presence of public uploads go there. @defaultValue http://127.0.0.1:8765 */
  relayUrl: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8765' }),
  /** Bearer token for writes to the relay (gun-proxy's GUNPROXY_AUTH_TOKEN in token mode). */
  relayAuthToken: Type.Optional(Type.String({ minLength: 1 })),
  /** Publish public uploads to the relay at all. @defaultValue true */
  relayPublish: Type.Boolean({ default: true }),
  /** Relay request timeout. @defaultValue 5000 */
  relayTimeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 5000 }),
  /** Attempts per relay write (manifest, presence), transient failures only. @defaultValue 3 */
  relayAttempts: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
  /** Publications waiting or in flight at once; past it a publication is dropped (counted). @defaultValue 256 */
  relayMaxPending: Type.Integer({ minimum: 1, maximum: 100_000, default: 256 }),
  /** Our peer id in presence entries (16 hex). @defaultValue derived from the host name and port */
  peerId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{16}$' })),
  /**
   * Replication: ORIGINS (`http(s)://host[:port]`) of peers whose announced media we may fetch
   * when a GET asks for public media we lack, compared exactly (scheme, host and port; the
   * default port filled in from the scheme). A bare host is refused at load. Held normalised as
   * `scheme://host:port`. Empty: no replication (a miss is a 404). @defaultValue []
   */
  peerAllowlist: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 256, default: [] }),
  /** Largest file fetched from a peer. @defaultValue 500 MiB */
  peerFetchMaxBytes: Type.Integer({ minimum: 1, default: 500 * 1024 * 1024 }),
  /** Peer fetches in flight at once (a GET past it answers 404). @defaultValue 4 */
  peerFetchConcurrency: Type.Integer({ minimum: 1, maximum: 256, default: 4 }),
  /** A peer silent this long (no answer, no body progress) is skipped. @defaultValue 10000 */
  peerFetchTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  /**
   * The project directory POST /api/media/web-setup publishes into, `<mediaDir>/web/<project>`,
   * served at `/media/<project>/<file>` (legacy COMPOSE_PROJECT_NAME). @defaultValue oip-arweave-indexer, as legacy
   */
  webProject: Type.String({ pattern: WEB_PROJECT_PATTERN, default: 'oip-arweave-indexer' }),
  /** Most file names in the web-setup project directory (507 past it). @defaultValue 100000 */
  webMaxFiles: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 100_000 }),
  /**
   * Requests answer 503 MEMGUARD_UNDER_PRESSURE while the mean event-loop delay is above this, ms;
   * 0 turns this shedding off (heap shedding stays). @defaultValue 1000
   */
  maxEventLoopDelayMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 1000 }),
  logLevel: LogLevelSchema,
});

export type Config = Static<typeof ConfigSchema>;

const spec: EnvSpec = {
  port: { vars: ['MEDIA_PORT', 'PORT'], kind: 'int' },
  host: { vars: ['MEDIA_HOST', 'HOST'] },
  mediaDir: { vars: ['MEDIA_DATA_DIR', 'MEDIA_DIR'] },
  jwtSecret: { vars: ['MEDIA_JWT_SECRET', 'JWT_SECRET'] },
  publicUrl: { vars: ['MEDIA_PUBLIC_URL'] },
  maxUploadBytes: { vars: ['MEDIA_MAX_UPLOAD_BYTES'], kind: 'int' },
  manifestCacheSize: { vars: ['MEDIA_MANIFEST_CACHE_SIZE'], kind: 'int' },
  idleTimeoutMs: { vars: ['MEDIA_IDLE_TIMEOUT_MS'], kind: 'int' },
  requestTimeoutMs: { vars: ['MEDIA_REQUEST_TIMEOUT_MS'], kind: 'int' },
  readChunkBytes: { vars: ['MEDIA_READ_CHUNK_BYTES'], kind: 'int' },
  relayUrl: { vars: ['MEDIA_RELAY_URL', 'GUN_RELAY_URL'] },
  relayAuthToken: { vars: ['MEDIA_RELAY_AUTH_TOKEN', 'GUNPROXY_AUTH_TOKEN'] },
  relayPublish: { vars: ['MEDIA_RELAY_PUBLISH'], kind: 'bool' },
  relayTimeoutMs: { vars: ['MEDIA_RELAY_TIMEOUT_MS'], kind: 'int' },
  relayAttempts: { vars: ['MEDIA_RELAY_ATTEMPTS'], kind: 'int' },
  relayMaxPending: { vars: ['MEDIA_RELAY_MAX_PENDING'], kind: 'int' },
  peerId: { vars: ['MEDIA_PEER_ID'] },
  peerAllowlist: { vars: ['MEDIA_PEER_ALLOWLIST'], kind: 'list' },
  peerFetchMaxBytes: { vars: ['MEDIA_PEER_FETCH_MAX_BYTES'], kind: 'int' },
  peerFetchConcurrency: { vars: ['MEDIA_PEER_FETCH_CONCURRENCY'], kind: 'int' },
  peerFetchTimeoutMs: { vars: ['MEDIA_PEER_FETCH_TIMEOUT_MS'], kind: 'int' },
  webProject: { vars: ['MEDIA_WEB_PROJECT', 'COMPOSE_PROJECT_NAME'] },
  webMaxFiles: { vars: ['MEDIA_WEB_MAX_FILES'], kind: 'int' },
  maxEventLoopDelayMs: { vars: ['MEDIA_MAX_EVENT_LOOP_DELAY_MS'], kind: 'int' },
  logLevel: { vars: ['MEDIA_LOG_LEVEL', 'LOG_LEVEL'] },
};

/**
 * Reads the config from an environment; throws ConfigError naming the variable. The operator CLI
 * (`migrate media`) serves nothing and passes `requireJwtSecret: false`.
 */
export function loadConfig(
  env: Env = process.env,
  cwd = process.cwd(),
  opts: { requireJwtSecret?: boolean } = {},
): Config {
  const raw = readEnv(env, spec);
  raw.mediaDir = path.resolve(cwd, (raw.mediaDir as string | undefined) ?? '.data/media');
  const config = parseConfig(raw);
  // No default secret (a legacy defect): private media needs the node's own.
  if (config.jwtSecret === undefined && opts.requireJwtSecret !== false) {
    throw new ConfigError(
      'MEDIA_JWT_SECRET (or JWT_SECRET) is required: the secret the api signs tokens with (node scripts/oip.mjs up creates one under .data/)',
      {
        variable: 'MEDIA_JWT_SECRET',
      },
    );
  }
  return config;
}

/** Validates a config object (defaults applied); tests build configs with it. */
export function parseConfig(input: Record<string, unknown>): Config {
  const config = validateConfig(ConfigSchema, input, spec, (k) => envNameOf('MEDIA', k));
  if (config.publicUrl !== undefined) {
    try {
      new URL(config.publicUrl);
    } catch {
      throw new ConfigError(`invalid MEDIA_PUBLIC_URL: not a URL (${config.publicUrl})`, {
        variable: 'MEDIA_PUBLIC_URL',
      });
    }
  }
  config.peerAllowlist = allowedOrigins(config.peerAllowlist);
  return config;
}

/** The allowlist as origin keys, duplicates dropped; throws ConfigError naming the variable. */
function allowedOrigins(entries: readonly string[]): string[] {
  const out = new Set<string>();
  for (const entry of entries) {
    const parsed = parseAllowedOrigin(entry);
    if ('problem' in parsed)
      throw new ConfigError(`invalid MEDIA_PEER_ALLOWLIST: ${parsed.problem}`, { variable: 'MEDIA_PEER_ALLOWLIST' });
    out.add(parsed.origin);
  }
  return [...out];
}
