// The api's public port as a node runs it, on loopback: gun-proxy (token write auth), apps/media and
// the api as child processes from their dist entries, each in its own process group (stop() ends
// the whole tree), Redis under a queue prefix of its own (purged at stop), SQLite and the data
// directories in a temp dir. Write and login rate limits are raised so 429s do not hide routes. The
// api runs with its inspector on loopback so the heap can be read after a forced collection.
// Then what the fuzz refers to: a user, an admin (granted with the operator's CLI, then logged in
// again) and an account deleted with the CLI whose token is kept; records of every access level
// and drefs between them, records set aside for deletion, a public and a private media file.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, spawnGroup, type GroupProcess } from '@oip/fake-relay/process-group';
import { purgePrefix } from '@oip/queue-contracts';
import { STRONG_PASSWORD } from './domain-bodies.js';
import type { FuzzFixtures } from './fuzz-request.js';
import type { FuzzTarget } from './fuzz-sender.js';
import { collectedHeap, type HeapReading } from './inspector-heap.js';

export const STACK_ENTRIES = {
  gunProxy: 'apps/gun-proxy/dist/server.js',
  media: 'apps/media/dist/server.js',
  api: 'apps/api/dist/server.js',
  apiCli: 'apps/api/dist/cli.js',
} as const;

export interface ApiStackOptions {
  /** The monorepo root: dist entries resolve from it and processes run there. */
  repoRoot: string;
  /** Variables every process gets (PATH, HOME); nothing else of the caller's environment is passed. */
  baseEnv: Record<string, string>;
  /** @defaultValue redis://127.0.0.1:6379 */
  redisUrl?: string;
  /** pino level of the apps. @defaultValue warn */
  logLevel?: string;
  /** Keep the temp dir after stop. @defaultValue false */
  keepDir?: boolean;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

async function waitHealthy(p: GroupProcess, name: string, url: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (!p.alive()) throw new Error(`${name} exited during start:\n${p.tail()}`);
    const status = await fetch(url, { signal: AbortSignal.timeout(3000) }).then(
      async (r) => (await r.arrayBuffer(), r.status),
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > end) throw new Error(`${name} not healthy at ${url} in ${timeoutMs} ms:\n${p.tail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Registered {
  email: string;
  token: string;
  publicKey: string;
}

interface Ports {
  gun: number;
  media: number;
  api: number;
  inspect: number;
}

export class ApiStack {
  readonly dir: string;
  readonly prefix = `fuzz-${hex(4)}`;
  readonly apiUrl: string;
  readonly #opts: ApiStackOptions;
  readonly #ports: Ports;
  readonly #procs: Array<{ name: string; process: GroupProcess }> = [];
  readonly #jwtSecret = hex(24);
  readonly #writeToken = hex(16);
  readonly #nodeId = hex(8);
  #target: FuzzTarget | null = null;

  private constructor(opts: ApiStackOptions, dir: string, ports: Ports) {
    this.#opts = opts;
    this.dir = dir;
    this.#ports = ports;
    this.apiUrl = `http://127.0.0.1:${ports.api}`;
  }

  /** Starts the three processes and creates the fixtures; on failure stops what started. */
  static async start(opts: ApiStackOptions): Promise<ApiStack> {
    for (const entry of Object.values(STACK_ENTRIES)) {
      if (!existsSync(join(opts.repoRoot, entry)))
        throw new Error(`${entry} is missing: build the apps first (pnpm exec turbo run build)`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'oip-api-fuzz-'));
    for (const d of ['gun', 'media', 'records']) mkdirSync(join(dir, d), { recursive: true });
    const stack = new ApiStack(opts, dir, {
      gun: await freePort(),
      media: await freePort(),
      api: await freePort(),
      inspect: await freePort(),
    });
    // However the caller's process ends, the process groups end with it.
    process.on('exit', stack.#killAll);
    try {
      await stack.#startAll();
    } catch (err) {
      const tails = stack.tails();
      await stack.stop().catch(() => undefined);
      throw new Error(`${(err as Error).message}\n${tails}`, { cause: err });
    }
    return stack;
  }

  readonly #killAll = (): void => {
    for (const p of this.#procs) p.process.signal('SIGKILL');
  };

  get #log(): string {
    return this.#opts.logLevel ?? 'warn';
  }

  get #apiEnv(): Record<string, string> {
    return {
      ...this.#opts.baseEnv,
      API_HOST: '127.0.0.1',
      API_PORT: String(this.#ports.api),
      STORE_KIND: 'sqlite',
      STORE_DATA_DIR: join(this.dir, 'records'),
      API_RELAY_URL: `http://127.0.0.1:${this.#ports.gun}`,
      API_RELAY_AUTH_TOKEN: this.#writeToken,
      API_MEDIA_URL: `http://127.0.0.1:${this.#ports.media}`,
      API_JWT_SECRET: this.#jwtSecret,
      API_NODE_ID: this.#nodeId,
      API_WRITE_RATE_LIMIT: '1000000',
      API_LOGIN_RATE_LIMIT: '1000000',
      REDIS_URL: this.#opts.redisUrl ?? 'redis://127.0.0.1:6379',
      SYNC_QUEUE_PREFIX: this.prefix,
      LOG_LEVEL: this.#log,
    };
  }

  async #spawn(
    name: string,
    entry: string,
    env: Record<string, string>,
    healthUrl: string,
    nodeArgs: string[] = [],
  ): Promise<void> {
    const p = spawnGroup(process.execPath, [...nodeArgs, entry], {
      env: { ...this.#opts.baseEnv, ...env },
      cwd: this.#opts.repoRoot,
      keepStdout: true,
      tailBytes: 64 * 1024,
    });
    this.#procs.push({ name, process: p });
    await waitHealthy(p, name, healthUrl);
  }

  async #startAll(): Promise<void> {
    const { gun, media, inspect } = this.#ports;
    await this.#spawn(
      'gun-proxy',
      STACK_ENTRIES.gunProxy,
      {
        GUNPROXY_HOST: '127.0.0.1',
        GUNPROXY_PORT: String(gun),
        GUNPROXY_DATA_DIR: join(this.dir, 'gun'),
        GUNPROXY_AUTH_MODE: 'token',
        GUNPROXY_AUTH_TOKEN: this.#writeToken,
        LOG_LEVEL: this.#log,
      },
      `http://127.0.0.1:${gun}/health`,
    );
    await this.#spawn(
      'media',
      STACK_ENTRIES.media,
      {
        MEDIA_HOST: '127.0.0.1',
        MEDIA_PORT: String(media),
        MEDIA_DATA_DIR: join(this.dir, 'media'),
        MEDIA_JWT_SECRET: this.#jwtSecret,
        MEDIA_PUBLIC_URL: this.apiUrl,
        MEDIA_RELAY_URL: `http://127.0.0.1:${gun}`,
        MEDIA_RELAY_AUTH_TOKEN: this.#writeToken,
        MEDIA_PEER_ID: hex(8),
        LOG_LEVEL: this.#log,
      },
      `http://127.0.0.1:${media}/health`,
    );
    await this.#spawn('api', STACK_ENTRIES.api, this.#apiEnv, `${this.apiUrl}/health`, [
      `--inspect=127.0.0.1:${inspect}`,
    ]);
    this.#target = await this.#fixtures();
  }

  /** The stack's processes, by name. */
  get processes(): ReadonlyArray<{ name: string; process: GroupProcess }> {
    return this.#procs;
  }

  /** The api process. */
  get api(): GroupProcess {
    return this.processes.find((p) => p.name === 'api')!.process;
  }

  /** Where and as whom the fuzz sends, and what its references resolve to. */
  get target(): FuzzTarget {
    if (!this.#target) throw new Error('the stack has not started');
    return this.#target;
  }

  /** Names of the stack's processes that are not running. */
  exited(): string[] {
    return this.#procs.filter((p) => !p.process.alive()).map((p) => p.name);
  }

  /** The api's heap after forced full collections. */
  heap(): Promise<HeapReading> {
    return collectedHeap(this.#ports.inspect);
  }

  /** GET /docs/json: the api's OpenAPI document. */
  async openApi(): Promise<unknown> {
    const res = await fetch(`${this.apiUrl}/docs/json`);
    if (res.status !== 200) throw new Error(`GET /docs/json answered ${res.status}`);
    return res.json();
  }

  async #json(method: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  }

  async #register(email: string): Promise<Registered> {
    const r = await this.#json('POST', '/api/user/register', { email, password: STRONG_PASSWORD });
    return { email, token: String(r['token']), publicKey: String(r['publicKey']) };
  }

  async #login(email: string): Promise<string> {
    return String((await this.#json('POST', '/api/user/login', { email, password: STRONG_PASSWORD }))['token']);
  }

  /** Runs the api's operator CLI (`oip admin …`, `oip account …`) with the api's environment. */
  async cli(args: string[]): Promise<void> {
    const p = spawnGroup(process.execPath, [STACK_ENTRIES.apiCli, ...args], {
      env: this.#apiEnv,
      cwd: this.#opts.repoRoot,
      keepStdout: true,
    });
    const timer = setTimeout(() => p.signal('SIGKILL'), 30_000);
    await p.exited;
    clearTimeout(timer);
    if (p.child.exitCode !== 0)
      throw new Error(`oip ${args.join(' ')} exited ${p.child.exitCode ?? p.child.signalCode}: ${p.tail()}`);
  }

  async #publish(
    token: string,
    recordType: string,
    localId: string,
    data: unknown,
  ): Promise<{ did: string; soul: string; creator: { didAddress: string; creatorHandle: string } }> {
    const r = await this.#json(
      'POST',
      `/api/records/newRecord?recordType=${recordType}&localId=${localId}`,
      data,
      token,
    );
    const oip = (r['recordToIndex'] as { oip: { creator: { didAddress: string; creatorHandle: string } } }).oip;
    return { did: String(r['did']), soul: String(r['soul']), creator: oip.creator };
  }

  async #upload(token: string, access: 'public' | 'private', content: string): Promise<string> {
    const form = new FormData();
    form.set('access_level', access);
    form.set('file', new Blob([content], { type: 'text/plain' }), `${access}.txt`);
    const res = await fetch(`${this.apiUrl}/api/media/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const json = (await res.json()) as { mediaId?: string };
    if (res.status !== 200 || !json.mediaId)
      throw new Error(`media upload answered ${res.status}: ${JSON.stringify(json)}`);
    return json.mediaId;
  }

  async #fixtures(): Promise<FuzzTarget> {
    const user = await this.#register('user@fuzz.example.org');
    const admin = await this.#register('admin@fuzz.example.org');
    const gone = await this.#register('deleted@fuzz.example.org');
    await this.cli(['admin', 'grant', admin.email]);
    const adminToken = await this.#login(admin.email);
    await this.cli(['account', 'delete', gone.email]);

    const post = (name: string, access?: object) => ({
      basic: { name, description: `${name} for the fuzz`, tagItems: ['fuzz', 'e2e'], language: 'en' },
      post: { articleText: `text of ${name}` },
      ...(access ? { accessControl: access } : {}),
    });
    const published = [
      await this.#publish(user.token, 'post', 'public-1', post('fuzz public post')),
      await this.#publish(user.token, 'post', 'private-1', post('fuzz private post', { access_level: 'private' })),
      await this.#publish(
        user.token,
        'post',
        'shared-1',
        post('fuzz shared post', { access_level: 'shared', shared_with: [admin.publicKey] }),
      ),
      await this.#publish(adminToken, 'post', 'admin-1', post('admin public post')),
      await this.#publish(adminToken, 'organization', 'org-1', {
        basic: { name: 'Fuzz org' },
        organization: { org_handle: 'fuzzorg', membership_policy: 'Open Join', webUrl: 'https://example.org' },
      }),
    ];
    const exercise = await this.#publish(user.token, 'exercise', 'squat', {
      basic: { name: 'squat', tagItems: ['legs'] },
      exercise: { equipmentRequired: ['mat'], exercise_type: 'strength' },
    });
    const workout = await this.#publish(user.token, 'workout', 'legs', {
      basic: { name: 'leg day', tagItems: ['fuzz'] },
      workout: { exercise: [exercise.did, published[0]!.did], exercise_name: ['squat'], total_duration_minutes: 30 },
    });
    const recipe = await this.#publish(user.token, 'recipe', 'pasta', {
      basic: { name: 'pasta' },
      recipe: { ingredient: ['flour', 'eggs'], ingredient_amount: [200, 2], servings: 2, cuisine: 'italian' },
    });
    published.push(exercise, workout, recipe);
    const deletable = [];
    for (let i = 0; i < 6; i++)
      deletable.push(await this.#publish(user.token, 'post', `deletable-${i}`, post(`deletable post ${i}`)));
    const media = [
      await this.#upload(user.token, 'public', 'public media of the fuzz'),
      await this.#upload(user.token, 'private', 'private media of the fuzz'),
    ];

    const fixtures: FuzzFixtures = {
      did: published.map((p) => p.did),
      deletable: deletable.map((p) => p.did),
      media,
      creator: [...new Set(published.map((p) => p.creator.didAddress))],
      handle: [...new Set(published.map((p) => p.creator.creatorHandle))],
      pubkey: [user.publicKey, admin.publicKey, gone.publicKey],
      email: [user.email, admin.email, gone.email],
      soul: [...published, ...deletable].map((p) => p.soul),
    };
    return { baseUrl: this.apiUrl, fixtures, tokens: { user: user.token, admin: adminToken, deleted: gone.token } };
  }

  /** The last output of every process, for a failure report. */
  tails(): string {
    return this.#procs
      .map(
        (p) =>
          `--- ${p.name} (${p.process.alive() ? 'running' : 'exited'}) ---\n${p.process.tail().split('\n').slice(-40).join('\n')}`,
      )
      .join('\n');
  }

  /** Stops every process (the api first), purges the Redis prefix and removes the temp dir. */
  async stop(): Promise<void> {
    for (const p of [...this.#procs].reverse()) await p.process.stop(10_000);
    process.off('exit', this.#killAll);
    const redis = new Redis(this.#opts.redisUrl ?? 'redis://127.0.0.1:6379', {
      maxRetriesPerRequest: 2,
      lazyConnect: true,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await purgePrefix(redis, this.prefix);
    } finally {
      redis.disconnect();
      if (!this.#opts.keepDir) rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
