// `oip migrate records` (runMigrateCli, in process) from a legacy-shaped node on the real
// Elasticsearch of ELASTICSEARCH_URL (legacy-node.ts: legacy mappings, FitnessAlly records from
// GUN and Arweave, templates, creators, organizations) into a SQLite store in a temp dir and into
// an Elasticsearch store (an index of its own), with the dead letters on the real Redis.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { DeadLetterCodes } from '@oip/queue-contracts';
import { createRecordStore, type OipRecord, type RecordStore } from '@oip/record-store';
import { DeadLetterService, SyncState } from '@oip/sync-state';
import type { Config } from '../../src/config.js';
import { runMigrateCli } from '../../src/migrate/migrate-cli.js';
import { captureIo } from '../helpers/cli-io.js';
import { startEs8StandIn } from '@oip/test-kit';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import {
  adminClient,
  dropIndices,
  elasticsearchUrl,
  noLegacyElasticsearch,
  uniqueIndex,
} from '../helpers/real-elasticsearch.js';
import {
  INVALID_DIDS,
  PUB,
  createLegacyNode,
  creatorDocs,
  fitnessRecords,
  organizationDocs,
  templateDocs,
  type LegacyNode,
} from './legacy-node.js';

interface Report {
  dryRun: boolean;
  indices: Array<{ index: string; status: string }>;
  tally: Record<
    string,
    Record<string, { read: number; written: number; skipped: Record<string, number>; failed: Record<string, number> }>
  >;
  totals: { read: number; written: number; skipped: number; failed: number };
}

const EXPECTED_TYPES = {
  exercise: 4,
  nutritionalInfo: 1,
  recipe: 1,
  workout: 1,
  workoutSchedule: 1,
  mealPlan: 1,
  post: 1,
  template: 2,
  creatorRegistration: 1,
  organization: 1,
};
const ARWEAVE_RECORDS = ['EX1', 'EX2', 'EX3', 'NUT1', 'REC1'].map((t) => `did:arweave:${t}`);
const GUN_RECORDS = ['squat', 'push-day', 'week-1', 'monday-meals', 'hello'].map((s) => `did:gun:${PUB}:${s}`);

describe.skipIf(noLegacyElasticsearch)('oip migrate records', () => {
  let legacy: LegacyNode;
  let env: TestEnv;
  let esIndex: string | null = null;
  const open: RecordStore[] = [];

  beforeEach(async () => {
    legacy = await createLegacyNode('migrate');
    env = await createTestEnv();
    await legacy.put('records', fitnessRecords());
    await legacy.put('templates', templateDocs());
    await legacy.put('creatorregistrations', creatorDocs());
    await legacy.put('organizations', organizationDocs());
  });

  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await legacy.drop();
    if (esIndex) await dropIndices(esIndex);
    esIndex = null;
    await env.cleanup();
  });

  async function migrate(
    config: Config,
    extra: string[] = [],
  ): Promise<{ code: number; report: Report; progress: string }> {
    const t = captureIo();
    let progress = '';
    const sink = { isTTY: false, write: (s: string) => void (progress += s) };
    const argv = ['migrate', 'records', '--from-elasticsearch', legacy.url, ...legacy.flags, '--json', ...extra];
    const code = await runMigrateCli(argv, config, t.io, sink);
    expect(t.err).toEqual([]);
    return { code, report: JSON.parse(t.out.at(-1)!) as Report, progress };
  }

  const sqliteConfig = () => env.config({ store: { kind: 'sqlite', dataDir: join(env.dir, 'records') } });
  const openSqlite = () => {
    const s = createRecordStore({ kind: 'sqlite', dataDir: join(env.dir, 'records') });
    open.push(s);
    return s;
  };

  /** Every record of the store, by DID. */
  async function everything(store: RecordStore): Promise<Map<string, OipRecord>> {
    const { records } = await store.search({ limit: 1000, sort: { field: 'indexedAt', order: 'asc' } });
    return new Map(records.map((r) => [r.oip.did, r]));
  }

  async function checkMigrated(store: RecordStore): Promise<void> {
    // Counts per type: every valid document, the invalid ones not.
    expect(await store.countByType()).toEqual(EXPECTED_TYPES);
    // source=arweave / source=gun as the api asks the store (records-query.ts: storage).
    const arweave = await store.search({ storage: 'arweave', limit: 100 });
    const fitnessTypes = new Set(['exercise', 'nutritionalInfo', 'recipe']);
    expect(
      arweave.records
        .filter((r) => fitnessTypes.has(r.oip.recordType))
        .map((r) => r.oip.did)
        .sort(),
    ).toEqual(ARWEAVE_RECORDS);
    const gun = await store.search({ storage: 'gun', limit: 100 });
    expect(gun.records.map((r) => r.oip.did).sort()).toEqual([...GUN_RECORDS].sort());
    // The workout's exercise drefs (three Arweave, one GUN) all resolve from the store.
    const workout = await store.get(`did:gun:${PUB}:push-day`);
    const drefs = workout!.data['workout']!['exercise'] as string[];
    expect(drefs).toHaveLength(4);
    expect([...(await store.getMany(drefs)).keys()].sort()).toEqual([...drefs].sort());
    // The oldest document: its DID from the id, its JSON-string array restored, its storage from the DID.
    const ex3 = await store.get('did:arweave:EX3');
    expect(ex3!.oip).toMatchObject({ did: 'did:arweave:EX3', didTx: 'did:arweave:EX3', storage: 'arweave' });
    expect(ex3!.data['exercise']!['muscleGroups']).toEqual(['legs', 'glutes']);
    expect((await store.get('did:arweave:REC1'))!.data['recipe']!['ingredient']).toEqual(['did:arweave:NUT1']);
    // Legacy oip fields kept.
    expect((await store.get('did:arweave:EX1'))!.oip).toMatchObject({
      inArweaveBlock: 1_500_003,
      recordStatus: 'original',
    });
    // Registries in the shapes the api's views read (apps/api/src/services/registry-views.ts).
    const tpl = await store.get('did:arweave:tpl-exercise');
    expect(tpl!.oip).toMatchObject({ recordType: 'template', storage: 'arweave' });
    expect(tpl!.data).toMatchObject({ template: 'exercise', TxId: 'tpl-exercise', creator: 'devonAddr' });
    expect(JSON.parse(tpl!.data['fields'] as unknown as string)).toEqual({
      instructions: 'repeated string',
      index_instructions: 0,
    });
    expect(tpl!.data).not.toHaveProperty('fieldsInTemplate');
    const creator = await store.get('did:arweave:devonReg');
    expect(creator!.data).toEqual({
      basic: { name: 'Devon', language: 'en' },
      creatorRegistration: { surname: 'James', description: 'founder', youtube: 'devonyt' },
    });
    const org = await store.get('did:arweave:org1');
    expect(org!.data['organization']).toMatchObject({ orgHandle: 'fitnessally8', orgPublicKey: 'org-pk' });
    expect(org!.data['basic']).toMatchObject({ name: 'FitnessAlly', webUrl: 'https://fitnessally.io' });
  }

  async function checkDeadLetters(): Promise<void> {
    const dlq = new DeadLetterService({ connection: env.redis, prefix: env.prefix });
    try {
      expect(await dlq.count()).toBe(2);
      const broken = await dlq.show(INVALID_DIDS[0]!);
      expect(broken).toMatchObject({
        code: DeadLetterCodes.INVALID_RECORD,
        recordType: 'workout',
        sourceRelay: `legacy-es:${legacy.url.replace(/\/$/, '')}/${legacy.names.records}`,
        reasons: [expect.objectContaining({ kind: 'invalid', path: 'data.workout.exercise_name' })],
      });
      expect(JSON.parse(broken!.recordJson!)).toMatchObject({ oip: { did: INVALID_DIDS[0] } });
      const old = await dlq.show(INVALID_DIDS[1]!);
      expect(old).toMatchObject({
        code: DeadLetterCodes.INVALID_RECORD,
        reasons: [expect.objectContaining({ path: 'oip.ver' })],
      });
      expect(await dlq.groups()).toMatchObject({
        groups: expect.arrayContaining([expect.objectContaining({ path: 'oip.ver' })]),
      });
    } finally {
      await dlq.close();
    }
  }

  it('migrates every type from both sources into SQLite, dead-letters the invalid ones; a second run writes nothing', async () => {
    const first = await migrate(sqliteConfig());
    expect(first.code).toBe(0);
    const r = first.report.tally[legacy.names.records]!;
    expect(r['workout']).toEqual({ read: 2, written: 1, skipped: {}, failed: { [DeadLetterCodes.INVALID_RECORD]: 1 } });
    expect(r['exercise']).toEqual({ read: 4, written: 4, skipped: {}, failed: {} });
    expect(first.report.tally[legacy.names.templates]!['template']!.written).toBe(2);
    expect(first.report.totals).toEqual({ read: 16, written: 14, skipped: 0, failed: 2 });
    expect(first.progress).toContain(`${legacy.names.records}: 12/12 written 10 skipped 0 failed 2`);
    const store = openSqlite();
    await checkMigrated(store);
    await checkDeadLetters();
    const before = await everything(store);

    const second = await migrate(sqliteConfig());
    expect(second.report.totals).toEqual({ read: 16, written: 0, skipped: 14, failed: 2 });
    expect(second.report.tally[legacy.names.records]!['exercise']!.skipped).toEqual({ unchanged: 4 });
    expect(await everything(store)).toEqual(before);
    // The cursors live beside the store's files, marked done.
    expect(readdirSync(join(env.dir, 'records', 'migrate')).sort()).toContain(
      `migrate-${legacy.names.records}.cursor.json`,
    );
  });

  it('into an Elasticsearch store; a second run leaves every document at its version', async () => {
    esIndex = uniqueIndex('migrate');
    const config = env.config({ store: { kind: 'elasticsearch', url: elasticsearchUrl!, index: esIndex } });
    const stateDir = join(env.dir, 'state');
    expect((await migrate(config, ['--state-dir', stateDir])).report.totals.written).toBe(14);
    const admin = adminClient();
    const versions = async () => {
      await admin.indices.refresh({ index: esIndex! });
      const res = await admin.search({ index: esIndex!, size: 100, version: true, query: { match_all: {} } });
      return new Map(res.hits.hits.map((h) => [h._id, h._version]));
    };
    try {
      const before = await versions();
      expect(before.size).toBe(14);
      const store = createRecordStore({ kind: 'elasticsearch', url: elasticsearchUrl!, index: esIndex });
      open.push(store);
      await checkMigrated(store);
      const second = await migrate(config, ['--state-dir', stateDir]);
      expect(second.report.totals).toMatchObject({ written: 0, skipped: 14 });
      expect(await versions()).toEqual(before);
    } finally {
      await admin.close();
    }
  });

  it('reads a legacy Elasticsearch 8.x, which refuses the 9.x client media types (7.17 takes them)', async () => {
    const standIn = await startEs8StandIn(legacy.url);
    try {
      const t = captureIo();
      const argv = ['migrate', 'records', '--from-elasticsearch', standIn.url, ...legacy.flags, '--json'];
      const code = await runMigrateCli(argv, sqliteConfig(), t.io, { isTTY: false, write: () => {} });
      expect([code, t.err]).toEqual([0, []]);
      expect((JSON.parse(t.out.at(-1)!) as Report).totals).toEqual({ read: 16, written: 14, skipped: 0, failed: 2 });
      expect(standIn.seen.length).toBeGreaterThan(4);
      await checkMigrated(openSqlite());
    } finally {
      await standIn.close();
    }
  });

  it('never overwrites a record the store holds from sync, and skips DIDs the deletion ledger holds', async () => {
    const store = openSqlite();
    const synced = { ...(fitnessRecords()[9]!.doc as unknown as OipRecord) };
    synced.oip = { ...synced.oip, syncVersion: '1730505600000', syncedAt: '2026-01-01T00:00:00.000Z' };
    synced.data = { ...synced.data, basic: { ...synced.data['basic'], name: 'newer from the relay' } };
    await store.bulkUpsert([synced]);
    await new SyncState(env.redis, env.prefix).markDeleted(['did:arweave:EX2']);
    const { report } = await migrate(sqliteConfig());
    expect(report.tally[legacy.names.records]!['post']!.skipped).toEqual({ held: 1 });
    expect((await store.get(`did:gun:${PUB}:hello`))!.data['basic']!['name']).toBe('newer from the relay');
    expect(report.tally[legacy.names.records]!['exercise']!.skipped).toEqual({ deleted: 1 });
    expect(await store.get('did:arweave:EX2')).toBeNull();
  });

  it('--dry-run reads and converts everything and writes nothing', async () => {
    const { report } = await migrate(sqliteConfig(), ['--dry-run']);
    expect(report).toMatchObject({ dryRun: true, totals: { read: 16, written: 0, skipped: 14, failed: 2 } });
    expect(await openSqlite().count()).toBe(0);
    expect(existsSync(join(env.dir, 'records', 'migrate'))).toBe(false);
    const dlq = new DeadLetterService({ connection: env.redis, prefix: env.prefix });
    expect(await dlq.count()).toBe(0);
    await dlq.close();
  });

  it('a missing records index or a store that is a legacy index stops the run (exit 1); bad flags are usage errors', async () => {
    const t = captureIo();
    const sink = { isTTY: false, write: () => {} };
    const missing = [
      'migrate',
      'records',
      '--from-elasticsearch',
      legacy.url,
      '--index',
      `${legacy.names.records}-nope`,
    ];
    expect(await runMigrateCli(missing, sqliteConfig(), t.io, sink)).toBe(1);
    expect(t.err[0]).toContain(`${legacy.names.records}-nope`);
    // A store that is the legacy index itself is refused before anything is read or written.
    const self = captureIo();
    const esSelf = env.config({
      store: { kind: 'elasticsearch', url: legacy.url, index: legacy.names.records },
    });
    const argv = ['migrate', 'records', '--from-elasticsearch', legacy.url, ...legacy.flags];
    expect(await runMigrateCli(argv, esSelf, self.io, sink)).toBe(1);
    expect(self.err[0]).toContain(`store is the legacy index "${legacy.names.records}"`);
    const u = captureIo();
    expect(
      await runMigrateCli(
        ['migrate', 'records', '--batch', '0', '--from-elasticsearch', 'http://x'],
        sqliteConfig(),
        u.io,
        sink,
      ),
    ).toBe(2);
    expect(u.err[0]).toContain('--batch');
    // --help: the usage on stdout, exit 0 (scripts/migrate.mjs reads the flags there).
    const h = captureIo();
    expect(await runMigrateCli(['migrate', 'records', '--help'], sqliteConfig(), h.io, sink)).toBe(0);
    expect(h.out.join('\n')).toMatch(/--from-elasticsearch[\s\S]*--templates-index[\s\S]*--replay-dead-letters/);
  });
});
