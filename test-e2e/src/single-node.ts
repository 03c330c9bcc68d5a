// One OIP node as OS processes on loopback, started from the apps' dist entries as the two-node
// harness starts them (./node-harness.ts) but alone: gun-proxy (token write auth, no peers), the
// api, media and one sync-worker, on free ports, with every store under one data directory laid
// out as `up` lays out .data/ (records/, gun-proxy/, media/, jwt-secret). Redis is the shared one
// on 127.0.0.1:6379 with a BullMQ prefix of the node's own.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@oip/fake-relay/process-group';
import { ENTRIES } from './node-harness.js';
import { NodeApi } from './node-api.js';
import { ManagedProcess } from './processes.js';
import { waitHealthy } from './probes.js';

export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

export interface SingleNodePorts {
  api: number;
  media: number;
  gun: number;
  workerHealth: number;
}

export interface SingleNodeOptions {
  repoRoot: string;
  baseEnv: Record<string, string>;
  /** Where the node keeps its data (made if missing); `<dataDir>/jwt-secret` is made when missing. */
  dataDir: string;
  /** Where the app logs go. */
  logDir: string;
  prefix: string;
}

export class SingleNode {
  readonly ports: SingleNodePorts;
  readonly http: NodeApi;
  readonly processes: ManagedProcess[];
  readonly #opts: SingleNodeOptions;
  readonly #writeToken = randomBytes(16).toString('hex');

  private constructor(opts: SingleNodeOptions, ports: SingleNodePorts) {
    this.#opts = opts;
    this.ports = ports;
    this.http = new NodeApi(`http://127.0.0.1:${ports.api}`, 'node');
    mkdirSync(opts.logDir, { recursive: true });
    const proc = (name: string, entry: string, env: Record<string, string>) =>
      new ManagedProcess({
        name,
        command: process.execPath,
        args: [entry],
        env: { ...opts.baseEnv, ...env },
        cwd: opts.repoRoot,
        logFile: join(opts.logDir, `${name}.log`),
        netns: null,
      });
    const secret = this.jwtSecret;
    const local = (p: number) => `http://127.0.0.1:${p}`;
    this.processes = [
      proc('gun-proxy', ENTRIES.gunProxy, {
        ...this.dataEnv,
        GUNPROXY_HOST: '127.0.0.1',
        GUNPROXY_PORT: String(ports.gun),
        GUNPROXY_AUTH_MODE: 'token',
        GUNPROXY_AUTH_TOKEN: this.#writeToken,
      }),
      proc('api', ENTRIES.api, {
        ...this.dataEnv,
        API_HOST: '127.0.0.1',
        API_PORT: String(ports.api),
        API_RELAY_URL: local(ports.gun),
        API_RELAY_AUTH_TOKEN: this.#writeToken,
        API_MEDIA_URL: local(ports.media),
        API_JWT_SECRET: secret,
        API_WRITE_RATE_LIMIT: '100000',
        API_LOGIN_RATE_LIMIT: '1000',
        REDIS_URL: SHARED_REDIS_URL,
        SYNC_QUEUE_PREFIX: opts.prefix,
      }),
      proc('media', ENTRIES.media, {
        ...this.dataEnv,
        MEDIA_HOST: '127.0.0.1',
        MEDIA_PORT: String(ports.media),
        MEDIA_JWT_SECRET: secret,
        MEDIA_PUBLIC_URL: local(ports.api),
        MEDIA_RELAY_URL: local(ports.gun),
        MEDIA_RELAY_AUTH_TOKEN: this.#writeToken,
      }),
      proc('sync-worker', ENTRIES.worker, {
        ...this.dataEnv,
        REDIS_URL: SHARED_REDIS_URL,
        SYNC_QUEUE_PREFIX: opts.prefix,
        SYNC_RELAYS: local(ports.gun),
        SYNC_RECORD_TYPES: 'post',
        SYNC_INTERVAL_MS: '2000',
        SYNC_HEALTH_HOST: '127.0.0.1',
        SYNC_HEALTH_PORT: String(ports.workerHealth),
      }),
    ];
  }

  static async create(opts: SingleNodeOptions): Promise<SingleNode> {
    const ports = {
      api: await freePort(),
      media: await freePort(),
      gun: await freePort(),
      workerHealth: await freePort(),
    };
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    const secretFile = join(opts.dataDir, 'jwt-secret');
    try {
      readFileSync(secretFile);
    } catch {
      writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    }
    return new SingleNode(opts, ports);
  }

  /** The JWT secret the node runs with: its data dir's `jwt-secret`, as `up` gives it. */
  get jwtSecret(): string {
    return readFileSync(join(this.#opts.dataDir, 'jwt-secret'), 'utf8').trim();
  }

  /** The stores' variables, as `up` sets them under .data/. */
  get dataEnv(): Record<string, string> {
    const d = this.#opts.dataDir;
    return {
      STORE_KIND: 'sqlite',
      STORE_DATA_DIR: join(d, 'records'),
      GUNPROXY_DATA_DIR: join(d, 'gun-proxy'),
      MEDIA_DATA_DIR: join(d, 'media'),
      LOG_LEVEL: 'info',
    };
  }

  /** The ports' variables (what `oip restore` asks to find a running node). */
  get portEnv(): Record<string, string> {
    return {
      API_PORT: String(this.ports.api),
      MEDIA_PORT: String(this.ports.media),
      GUNPROXY_PORT: String(this.ports.gun),
      SYNC_HEALTH_PORT: String(this.ports.workerHealth),
    };
  }

  async start(): Promise<void> {
    const [gun, api, media, worker] = this.processes as [
      ManagedProcess,
      ManagedProcess,
      ManagedProcess,
      ManagedProcess,
    ];
    gun.start();
    await waitHealthy(gun, `http://127.0.0.1:${this.ports.gun}/health`);
    media.start();
    api.start();
    worker.start();
    await waitHealthy(media, `http://127.0.0.1:${this.ports.media}/health`);
    await waitHealthy(api, `${this.http.base}/health`);
    await waitHealthy(worker, `http://127.0.0.1:${this.ports.workerHealth}/health`);
  }

  /** SIGTERM to every app (SIGKILL past the grace); each must have exited 0. */
  async stop(): Promise<Array<{ name: string; code: number | null }>> {
    const exits = await Promise.all(
      this.processes.map(async (p) => ({ name: p.spec.name, exit: await p.stop(20_000) })),
    );
    return exits.map((e) => ({ name: e.name, code: e.exit?.code ?? null }));
  }
}
