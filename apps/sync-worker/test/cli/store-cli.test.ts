// `oip store fields [widen]` on a real SQLite file and on the ES adapter on the real node of
// ELASTICSEARCH_URL (an index of its own), and `node scripts/oip.mjs store fields` as a real process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRecordStore, type OipRecord, type RecordStore } from '@oip/record-store';
import { runStoreCli } from '../../src/cli/store-cli.js';
import { captureIo } from '../helpers/cli-io.js';
import { adminClient, dropIndices, noElasticsearch, realStore, uniqueIndex } from '../helpers/real-elasticsearch.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const repo = join(root, '../..');

const shopping = (n: number, prices: unknown[]): OipRecord => ({
  data: { basic: { name: `List ${n}`, tagItems: ['groceries'] }, shoppingList: { item_prices: prices } },
  oip: {
    ver: '0.8.0',
    recordType: 'shoppingList',
    did: `did:gun:647f79c2a338:s${n}`,
    didTx: `did:gun:647f79c2a338:s${n}`,
    storage: 'gun',
    indexedAt: '2024-11-02T10:00:00.000Z',
    creator: { didAddress: 'did:arweave:x', publicKey: 'pk' },
  },
});

let dir: string;
let store: RecordStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oip-store-cli-'));
  store = createRecordStore({ kind: 'sqlite', dataDir: dir });
  await store.bulkUpsert([
    shopping(1, [2]),
    { ...shopping(2, []), data: { ...shopping(2, []).data, conversationSession: { messages: ['hi'] } } },
  ]);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('oip store fields', () => {
  it('lists the fixed types, all or under a prefix', async () => {
    const t = captureIo();
    expect(await runStoreCli(['store', 'fields', '--prefix', 'data.shoppingList'], store, t.io)).toBe(0);
    expect(t.out).toEqual([
      '2 fixed field types under data.shoppingList',
      'data.shoppingList              object',
      'data.shoppingList.item_prices  long',
    ]);
    const j = captureIo();
    expect(await runStoreCli(['store', 'fields', '--json'], store, j.io)).toBe(0);
    expect(JSON.parse(j.out[0]!)).toContainEqual({ path: 'data.conversationSession.messages', type: 'text' });
  });

  it('widen applies a safe widening and says what to replay; the next write of a float is accepted', async () => {
    const t = captureIo();
    expect(
      await runStoreCli(['store', 'fields', 'widen', 'data.shoppingList.item_prices', 'double'], store, t.io),
    ).toBe(0);
    expect(t.out).toEqual([
      "widened data.shoppingList.item_prices from long to double (the store's field-type guard; every process adopts it at its next write)",
      'next: oip dlq replay --path data.shoppingList.item_prices',
    ]);
    expect((await store.bulkUpsert([shopping(3, [1.5])]))[0]!.ok).toBe(true);
  });

  it('an unsafe change is refused with its code and reason (exit 1); bad arguments are usage errors (exit 2)', async () => {
    const t = captureIo();
    expect(
      await runStoreCli(['store', 'fields', 'widen', 'data.conversationSession.messages', 'object'], store, t.io),
    ).toBe(1);
    expect(t.err[0]).toMatch(
      /^oip: STORE_ERR_WIDENING_REFUSED: refusing to change data.conversationSession.messages from text to object: .*degraded/,
    );
    expect(await store.fieldTypes()).toContainEqual({ path: 'data.conversationSession.messages', type: 'text' });
    const u = captureIo();
    expect(await runStoreCli(['store', 'fields', 'widen', 'data.nope', 'double'], store, u.io)).toBe(1);
    expect(u.err[0]).toMatch(/STORE_ERR_FIELD_UNKNOWN/);
    for (const argv of [
      ['store', 'fields', 'widen', 'data.x'],
      ['store', 'fields', 'widen', 'data.x', 'bigint'],
      ['store', 'fieldz'],
      ['store', 'fields', 'extra'],
    ]) {
      const x = captureIo();
      expect(await runStoreCli(argv, store, x.io)).toBe(2);
      expect(x.err[1]).toMatch(/^usage:/);
    }
  });

  it.skipIf(noElasticsearch)(
    'on Elasticsearch: explains the reindex and its steps without --reindex; copies and switches the alias with it',
    async () => {
      const index = uniqueIndex('store-cli');
      const esStore = realStore(index);
      const admin = adminClient();
      try {
        await esStore.bulkUpsert([shopping(1, [2]), shopping(2, [3])]);
        const t = captureIo();
        expect(
          await runStoreCli(['store', 'fields', 'widen', 'data.shoppingList.item_prices', 'double'], esStore, t.io),
        ).toBe(1);
        expect(t.err[0]).toMatch(
          /^oip: STORE_ERR_REINDEX_REQUIRED: Elasticsearch cannot change data.shoppingList.item_prices from long to double in place/,
        );
        expect(t.err.slice(1)).toEqual([
          'steps:',
          '  1. stop the sync workers (documents written during the copy would be missed; the copy is refused when counts differ)',
          '  2. oip store fields widen data.shoppingList.item_prices double --reindex',
          '  3. start the sync workers',
          '  4. oip dlq replay --path data.shoppingList.item_prices',
        ]);
        const r = captureIo();
        expect(
          await runStoreCli(
            ['store', 'fields', 'widen', 'data.shoppingList.item_prices', 'double', '--reindex'],
            esStore,
            r.io,
          ),
        ).toBe(0);
        const at = index.replace(/[.-]/g, '\\$&');
        expect(r.out[0]).toMatch(
          new RegExp(
            `^widened data\\.shoppingList\\.item_prices from long to double: copied 2 documents from ${at} into ${at}-\\S+; ${at} now points at ${at}-\\S+ \\(${at} removed\\)$`,
          ),
        );
        const alias = await admin.indices.getAlias({ name: index });
        expect(Object.keys(alias)).toEqual([expect.stringMatching(new RegExp(`^${at}-`))]);
      } finally {
        await esStore.close();
        await admin.close();
        await dropIndices(index);
      }
    },
  );
});

describe('node scripts/oip.mjs store fields (a real process on the built CLI)', () => {
  it('lists the types of the configured SQLite store and widens one', () => {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    const env = { PATH: process.env.PATH ?? '', STORE_KIND: 'sqlite', STORE_DATA_DIR: dir, SYNC_HEALTH_PORT: '-1' };
    const list = spawnSync(
      process.execPath,
      [join(repo, 'scripts/oip.mjs'), 'store', 'fields', '--prefix', 'data.shoppingList'],
      { env, encoding: 'utf8', timeout: 20_000 },
    );
    expect([list.status, list.stdout.trim().split('\n').at(-1)]).toEqual([0, 'data.shoppingList.item_prices  long']);
    const widen = spawnSync(
      process.execPath,
      [join(repo, 'scripts/oip.mjs'), 'store', 'fields', 'widen', 'data.shoppingList.item_prices', 'float'],
      { env, encoding: 'utf8', timeout: 20_000 },
    );
    expect(widen.status).toBe(0);
    expect(widen.stdout).toContain('widened data.shoppingList.item_prices from long to float');
    const refused = spawnSync(
      process.execPath,
      [join(repo, 'scripts/oip.mjs'), 'store', 'fields', 'widen', 'data.shoppingList.item_prices', 'long'],
      { env, encoding: 'utf8', timeout: 20_000 },
    );
    expect([refused.status, refused.stderr]).toEqual([1, expect.stringContaining('STORE_ERR_WIDENING_REFUSED')]);
  }, 120_000);
});
