// One whole OIP node as OS processes (./two-nodes.ts runs two), started from the apps' dist entry files. Each node: its own
// redis-server (appendonly in the node's directory, so a restart keeps the data), gun-proxy
// (token write auth, peered over websocket with the other node's gun-proxy in both directions),
// sync-worker(s) reading the node's own relay, the api (the node's public port) and media
// (replicating public media from the other node's announced endpoint). Separate directories,
// Redis, BullMQ prefixes, JWT secrets, write tokens and GUN node ids. Node B runs two
// sync-worker processes so one can be SIGKILLed. Where they run: ./node-link.ts. Their store:
// SQLite files in the node's directory, or indices of their own on a shared Elasticsearch.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { until } from '@oip/test-kit';
import { ManagedProcess, runToEnd } from './processes.js';
import type { NodeLink, NodeName } from './node-link.js';
import { NodeApi } from './node-api.js';
import { httpJson, redisPing, waitHealthy } from './probes.js';

export type { NodeName } from './node-link.js';

export const ENTRIES = {
  gunProxy: 'apps/gun-proxy/dist/server.js',
  api: 'apps/api/dist/server.js',
  media: 'apps/media/dist/server.js',
  worker: 'apps/sync-worker/dist/main.js',
  cli: 'apps/sync-worker/dist/cli.js',
  apiCli: 'apps/api/dist/cli.js',
} as const;

/** Record types the workers read (each type costs a registry read per pass). */
export const RECORD_TYPES = ['post', 'shoppingList'];
/** Jobs each sync-worker process runs at once (SYNC_CONCURRENCY). */
export const WORKER_CONCURRENCY = 4;

/** Where both nodes keep records and accounts. */
export type NodeStore = { kind: 'sqlite' } | { kind: 'elasticsearch'; url: string; indexPrefix: string };

export interface HarnessOptions {
  /** The monorepo root (dist entries are resolved from it; processes run there). */
  repoRoot: string;
  /** Variables every process gets (PATH, HOME); nothing else of the test's environment is passed. */
  baseEnv: Record<string, string>;
  forceLoopback?: boolean;
  /** pino level of every app. @defaultValue info */
  logLevel?: string;
  /** Keep the data and log directory after stop. @defaultValue false */
  keepDir?: boolean;
  /**
   * @defaultValue sqlite. Elasticsearch listens on the test's loopback, which a namespace does not
   * reach: with it, the nodes run in the loopback mode.
   */
  store?: NodeStore;
}

const secret = (bytes = 16) => randomBytes(bytes).toString('hex');

/** One node's processes and configuration. */
export class OipNode {
  readonly name: NodeName;
  readonly dir: string;
  readonly nodeId: string;
  readonly mediaPeerId: string;
  readonly prefix: string;
  readonly jwtSecret = secret();
  readonly writeToken = secret();
  /** The token the other node's gun-proxy presents when it dials this one. */
  readonly inboundPeerToken = secret();
  readonly adminEmail: string;
  readonly redis: ManagedProcess;
  readonly gunProxy: ManagedProcess;
  readonly api: ManagedProcess;
  readonly media: ManagedProcess;
  readonly workers: ManagedProcess[];
  readonly http: NodeApi;
  readonly #link: NodeLink;
  readonly #opts: HarnessOptions;
  #peer: OipNode | null = null;

  constructor(link: NodeLink, name: NodeName, root: string, workerCount: number, opts: HarnessOptions) {
    this.#link = link;
    this.#opts = opts;
    this.name = name;
    this.dir = join(root, name);
    for (const d of ['redis', 'gun', 'records', 'media', 'logs']) mkdirSync(join(this.dir, d), { recursive: true });
    const hex = name === 'a' ? 'a' : 'b';
    this.nodeId = `${hex.repeat(4)}${secret(6)}`;
    this.mediaPeerId = `${hex.repeat(4)}${secret(6)}`;
    this.prefix = `oip-${name}`;
    this.adminEmail = `admin@${name}.example.org`;
    const proc = (svc: string, command: string, args: string[], env: () => Record<string, string>) =>
      new ManagedProcess({
        name: `${name}/${svc}`,
        command,
        args,
        get env() {
          return { ...opts.baseEnv, ...env() };
        },
        cwd: opts.repoRoot,
        logFile: join(this.dir, 'logs', `${svc}.log`),
        netns: link.ns(name),
      });
    const ports = link.ports(name);
    this.redis = proc(
      'redis',
      'redis-server',
      [
        '--port',
        String(ports.redis),
        '--bind',
        ...(link.mode === 'netns' ? ['127.0.0.1', link.testHost(name)] : ['127.0.0.1']),
        '--protected-mode',
        'no',
        '--dir',
        join(this.dir, 'redis'),
        // infra/redis.conf's durability: AOF, fsync every second.
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        '--daemonize',
        'no',
      ],
      () => ({}),
    );
    this.gunProxy = proc('gun-proxy', process.execPath, [ENTRIES.gunProxy], () => this.gunProxyEnv());
    this.api = proc('api', process.execPath, [ENTRIES.api], () => this.apiEnv());
    this.media = proc('media', process.execPath, [ENTRIES.media], () => this.mediaEnv());
    this.workers = Array.from({ length: workerCount }, (_, i) =>
      proc(`sync-worker-${i + 1}`, process.execPath, [ENTRIES.worker], () => this.workerEnv(i)),
    );
    this.http = new NodeApi(this.apiUrl, `node ${name}`);
  }

  set peer(p: OipNode) {
    this.#peer = p;
  }

  get #other(): OipNode {
    if (!this.#peer) throw new Error('peer not set');
    return this.#peer;
  }

  #local(port: number): string {
    return `http://127.0.0.1:${port}`;
  }

  get ports() {
    return this.#link.ports(this.name);
  }

  /** URLs the test process uses. */
  get apiUrl(): string {
    return `http://${this.#link.testHost(this.name)}:${this.ports.api}`;
  }
  get gunUrl(): string {
    return `http://${this.#link.testHost(this.name)}:${this.ports.gun}`;
  }
  get mediaUrl(): string {
    return `http://${this.#link.testHost(this.name)}:${this.ports.media}`;
  }
  get redisUrl(): string {
    return `redis://${this.#link.testHost(this.name)}:${this.ports.redis}`;
  }
  workerHealthUrl(i: number): string {
    return `http://${this.#link.testHost(this.name)}:${this.ports.workerHealth[i]}/health`;
  }

  get #logLevel(): string {
    return this.#opts.logLevel ?? 'info';
  }

  gunProxyEnv(): Record<string, string> {
    const peerGun = this.#link.fromPeer(this.#other.name, 'gun');
    return {
      GUNPROXY_HOST: this.#link.bindHost,
      GUNPROXY_PORT: String(this.ports.gun),
      GUNPROXY_DATA_DIR: join(this.dir, 'gun'),
      GUNPROXY_AUTH_MODE: 'token',
      GUNPROXY_AUTH_TOKEN: this.writeToken,
      GUNPROXY_PEER_TOKENS: this.inboundPeerToken,
      // The credential the other node accepts rides in the peer URL (gun-proxy README).
      GUN_PEERS: `ws://${peerGun}/gun?token=${this.#other.inboundPeerToken}`,
      GUNPROXY_PEER_ALLOWLIST: this.#link.mode === 'netns' ? peerGun.split(':')[0]! : '',
      // Catch-up on connect asks the peer for the index of the types the workers read, even before
      // this node's store holds one (gun-proxy README, "Catch-up when a peer connects").
      GUNPROXY_CATCHUP_RECORD_TYPES: RECORD_TYPES.join(','),
      GUNPROXY_LOG_LEVEL: this.#logLevel,
    };
  }

  /** The node's store: its SQLite directory, or its own records and accounts indices. */
  get storeEnv(): Record<string, string> {
    const store = this.#opts.store ?? { kind: 'sqlite' };
    if (store.kind === 'sqlite') return { STORE_KIND: 'sqlite', STORE_DATA_DIR: join(this.dir, 'records') };
    return {
      STORE_KIND: 'elasticsearch',
      ELASTICSEARCH_URL: store.url,
      ELASTICSEARCH_INDEX: this.recordsIndex!,
      API_ACCOUNTS_INDEX: `${store.indexPrefix}-${this.name}-accounts`,
    };
  }

  /** The node's records index on Elasticsearch (null on SQLite). */
  get recordsIndex(): string | null {
    const store = this.#opts.store;
    return store?.kind === 'elasticsearch' ? `${store.indexPrefix}-${this.name}-records` : null;
  }

  /** The store and Redis every sync-worker process and the CLI of this node use. */
  workerEnv(i = 0): Record<string, string> {
    return {
      REDIS_URL: `redis://127.0.0.1:${this.ports.redis}`,
      SYNC_QUEUE_PREFIX: this.prefix,
      SYNC_RELAYS: this.#local(this.ports.gun),
      SYNC_RECORD_TYPES: RECORD_TYPES.join(','),
      ...this.storeEnv,
      SYNC_NODE_ID: this.nodeId,
      SYNC_INTERVAL_MS: '2000',
      SYNC_DISCOVER_ON_START: 'true',
      SYNC_CONCURRENCY: String(WORKER_CONCURRENCY),
      SYNC_BATCH_SIZE: '25',
      SYNC_BATCH_MS: '100',
      SYNC_ATTEMPTS: '5',
      SYNC_BACKOFF_MS: '500',
      SYNC_BACKOFF_CAP_MS: '4000',
      // A SIGKILLed worker's jobs are moved back to wait within lock + stalled interval (~7 s).
      SYNC_LOCK_DURATION_MS: '5000',
      SYNC_STALLED_INTERVAL_MS: '2000',
      SYNC_MAX_STALLED: '2',
      SYNC_NOT_FOUND_BACKOFF_MS: '2000',
      SYNC_RELAY_TIMEOUT_MS: '5000',
      SYNC_STATE_CHECK_MS: '1000',
      SYNC_SHUTDOWN_TIMEOUT_MS: '3000',
      SYNC_HEALTH_HOST: this.#link.bindHost,
      SYNC_HEALTH_PORT: String(this.ports.workerHealth[i] ?? -1),
      LOG_LEVEL: this.#logLevel,
    };
  }

  apiEnv(): Record<string, string> {
    return {
      API_HOST: this.#link.bindHost,
      API_PORT: String(this.ports.api),
      ...this.storeEnv,
      API_RELAY_URL: this.#local(this.ports.gun),
      API_RELAY_AUTH_TOKEN: this.writeToken,
      API_MEDIA_URL: this.#local(this.ports.media),
      API_JWT_SECRET: this.jwtSecret,
      API_NODE_ID: this.nodeId,
      API_WRITE_RATE_LIMIT: '100000',
      API_LOGIN_RATE_LIMIT: '1000',
      REDIS_URL: `redis://127.0.0.1:${this.ports.redis}`,
      SYNC_QUEUE_PREFIX: this.prefix,
      API_SYNC_STATUS_TIMEOUT_MS: '5000',
      LOG_LEVEL: this.#logLevel,
    };
  }

  mediaEnv(): Record<string, string> {
    return {
      MEDIA_HOST: this.#link.bindHost,
      MEDIA_PORT: String(this.ports.media),
      MEDIA_DATA_DIR: join(this.dir, 'media'),
      MEDIA_JWT_SECRET: this.jwtSecret,
      // Our announced endpoint: our api (which forwards /api/media/*) as the other node reaches it.
      MEDIA_PUBLIC_URL: `http://${this.#link.fromPeer(this.name, 'api')}`,
      MEDIA_RELAY_URL: this.#local(this.ports.gun),
      MEDIA_RELAY_AUTH_TOKEN: this.writeToken,
      MEDIA_PEER_ID: this.mediaPeerId,
      MEDIA_PEER_ALLOWLIST: `http://${this.#link.fromPeer(this.#other.name, 'api')}`,
      LOG_LEVEL: this.#logLevel,
    };
  }

  async startRedis(): Promise<void> {
    this.redis.start();
    await until(() => redisPing(this.#link.testHost(this.name), this.ports.redis, this.redis), {
      what: `${this.name}/redis answers PING`,
      ok: (r) => r === '+PONG',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  }

  async startGunProxy(): Promise<void> {
    this.gunProxy.start();
    await waitHealthy(this.gunProxy, `${this.gunUrl}/health`);
  }

  async startApi(): Promise<void> {
    this.api.start();
    await waitHealthy(this.api, `${this.apiUrl}/health`);
  }

  async startMedia(): Promise<void> {
    this.media.start();
    await waitHealthy(this.media, `${this.mediaUrl}/health`);
  }

  async startWorker(i: number): Promise<void> {
    const w = this.workers[i]!;
    w.start();
    await waitHealthy(w, this.workerHealthUrl(i));
  }

  /** Connected GUN peers of this node's gun-proxy (inbound and outbound). */
  async gunPeers(): Promise<{ connected: number; inbound: number }> {
    const r = await httpJson<{ peers: { connected: number; inbound: number } }>(`${this.gunUrl}/health`);
    return r?.peers ?? { connected: -1, inbound: -1 };
  }

  /** Runs `oip <args>` (the sync-worker CLI) in this node's environment and namespace. */
  cli(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return this.#runEntry(ENTRIES.cli, args, this.workerEnv(), timeoutMs);
  }

  /**
   * `oip admin grant <email>` (the api's CLI) on this node, as its operator would: the account must
   * exist; its tokens are admin from its next login (or within the api's account cache TTL).
   */
  async grantAdmin(email: string): Promise<void> {
    const r = await this.#runEntry(ENTRIES.apiCli, ['admin', 'grant', email], this.apiEnv(), 30_000);
    if (r.code !== 0) throw new Error(`${this.name}: oip admin grant ${email} exited ${r.code}: ${r.stderr.trim()}`);
  }

  #runEntry(
    entry: string,
    args: string[],
    env: Record<string, string>,
    timeoutMs: number,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return runToEnd(process.execPath, [entry, ...args], {
      cwd: this.#opts.repoRoot,
      env: { ...this.#opts.baseEnv, ...env },
      timeoutMs,
      netns: this.#link.ns(this.name),
    });
  }

  all(): ManagedProcess[] {
    return [this.redis, this.gunProxy, ...this.workers, this.api, this.media];
  }
}
