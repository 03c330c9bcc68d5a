// A migration SIGKILLed at about half way and run again ends with the same store as an
// uninterrupted one. `node dist/cli.js migrate records` (built in beforeAll) runs as a real
// process on a legacy-shaped index of the real Elasticsearch (ELASTICSEARCH_URL) and a SQLite
// store in a temp dir; the kill comes when its cursor file says half the documents are read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { purgePrefix } from '@oip/queue-contracts';
import { createRecordStore, type OipRecord, type RecordStore } from '@oip/record-store';
import { until } from '@oip/test-kit';
import { runMigrateCli } from '../../src/migrate/migrate-cli.js';
import { captureIo } from '../helpers/cli-io.js';
import { REDIS_URL, createTestEnv, type TestEnv } from '../helpers/env.js';
import { noLegacyElasticsearch } from '../helpers/real-elasticsearch.js';
import { PUB, arweaveDoc, createLegacyNode, gunDoc, type LegacyNode } from './legacy-node.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const EXERCISES = 1500;
const WORKOUTS = 1500;
const BATCH = 20;

function documents(): Array<{ id: string; doc: Record<string, unknown> }> {
  const out: Array<{ id: string; doc: Record<string, unknown> }> = [];
  for (let i = 0; i < EXERCISES; i++) {
    const tx = `EX${String(i).padStart(5, '0')}`;
    out.push({
      id: `did:arweave:${tx}`,
      doc: arweaveDoc(tx, 'exercise', { muscleGroups: ['legs'], exercise_type: 'Main' }, { withDid: i % 3 !== 0 }),
    });
  }
  for (let i = 0; i < WORKOUTS; i++) {
    const soul = `${PUB}:w${i}`;
    const exercise = [`did:arweave:EX${String(i).padStart(5, '0')}`];
    out.push({ id: `did:gun:${soul}`, doc: gunDoc(soul, 'workout', { total_duration_minutes: i % 90, exercise }) });
  }
  return out;
}

describe.skipIf(noLegacyElasticsearch)('oip migrate records killed at half way', () => {
  let legacy: LegacyNode;
  let env: TestEnv;
  const children = new Set<ChildProcess>();
  const stores: RecordStore[] = [];
  const prefixB = `${Math.random().toString(36).slice(2, 10)}-b`;

  beforeAll(async () => {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    legacy = await createLegacyNode('kill');
    env = await createTestEnv();
    await legacy.put('records', documents());
  }, 180_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const s of stores) await s.close();
    await legacy?.drop();
    await purgePrefix(env.redis, `${env.prefix}${prefixB}`);
    await env?.cleanup();
  });

  const args = (stateDir: string) => [
    'migrate',
    'records',
    '--from-elasticsearch',
    legacy.url,
    ...legacy.flags,
    '--batch',
    String(BATCH),
    '--state-dir',
    stateDir,
    '--json',
  ];

  function spawnMigrate(dir: string): { child: ChildProcess; out: () => string; err: () => string } {
    let out = '';
    let err = '';
    const child = spawn(process.execPath, [join(root, 'dist/cli.js'), ...args(join(dir, 'state'))], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        REDIS_URL,
        SYNC_QUEUE_PREFIX: `${env.prefix}${prefixB}`,
        STORE_KIND: 'sqlite',
        STORE_DATA_DIR: join(dir, 'records'),
        SYNC_RELAYS: 'http://127.0.0.1:1',
        LOG_LEVEL: 'warn',
      },
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4096)));
    return { child, out: () => out, err: () => err };
  }

  const cursorOf = (dir: string): { read: number; total: number; done: boolean } | null => {
    try {
      return JSON.parse(readFileSync(join(dir, 'state', `migrate-${legacy.names.records}.cursor.json`), 'utf8')) as {
        read: number;
        total: number;
        done: boolean;
      };
    } catch {
      return null;
    }
  };

  async function contents(dataDir: string): Promise<Map<string, OipRecord>> {
    const store = createRecordStore({ kind: 'sqlite', dataDir });
    stores.push(store);
    const dids = documents().map((d) => d.id);
    const out = new Map<string, OipRecord>();
    for (let i = 0; i < dids.length; i += 500)
      for (const [k, v] of await store.getMany(dids.slice(i, i + 500))) out.set(k, v);
    return out;
  }

  it('resumes from its cursor and ends with the store an uninterrupted run makes', async () => {
    // The reference: one uninterrupted run, in process.
    const a = join(env.dir, 'a');
    const t = captureIo();
    const sink = { isTTY: false, write: () => {} };
    const config = env.config({ store: { kind: 'sqlite', dataDir: join(a, 'records') } });
    expect(await runMigrateCli(args(join(a, 'state')), config, t.io, sink)).toBe(0);
    const reference = await contents(join(a, 'records'));
    expect(reference.size).toBe(EXERCISES + WORKOUTS);

    // Killed when its cursor says half the records index is read.
    const b = join(env.dir, 'b');
    const first = spawnMigrate(b);
    const exited = once(first.child, 'exit');
    const half = (EXERCISES + WORKOUTS) / 2;
    const at = await until(() => cursorOf(b), {
      what: 'the cursor at half the records',
      timeoutMs: 60_000,
      intervalMs: 5,
      ok: (c) => c !== null && c.read >= half,
    });
    first.child.kill('SIGKILL');
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect(signal, first.err()).toBe('SIGKILL');
    const killedAt = cursorOf(b)!;
    expect(killedAt.done).toBe(false);
    expect(killedAt.read).toBeGreaterThanOrEqual(at!.read);
    expect(killedAt.read).toBeLessThan(EXERCISES + WORKOUTS);
    expect((await contents(join(b, 'records'))).size).toBeLessThan(EXERCISES + WORKOUTS);

    // Run again: it resumes (and reads only what is left, plus the last page again).
    const second = spawnMigrate(b);
    const [code] = (await once(second.child, 'exit')) as [number | null];
    expect(code, second.err()).toBe(0);
    const report = JSON.parse(second.out().trim().split('\n').at(-1)!) as {
      indices: Array<{ index: string; status: string }>;
    };
    expect(report.indices[0]).toEqual({ index: legacy.names.records, kind: 'records', status: 'resumed' });
    expect(cursorOf(b)!.done).toBe(true);
    expect(await contents(join(b, 'records'))).toEqual(reference);
  }, 240_000);
});
