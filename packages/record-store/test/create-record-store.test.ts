import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ElasticsearchRecordStore, SqliteRecordStore, createRecordStore } from '../src/index.js';
import { createEsMock } from './helpers/es-mock.js';
import { makeRecord } from './helpers/records.js';

describe('createRecordStore', () => {
  it('kind sqlite opens the embedded store in dataDir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oip-record-store-'));
    const store = createRecordStore({ kind: 'sqlite', dataDir: dir });
    try {
      expect(store).toBeInstanceOf(SqliteRecordStore);
      expect((await store.bulkUpsert([makeRecord({ soul: 'f:1' })]))[0]!.ok).toBe(true);
      expect(await store.count()).toBe(1);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('kind elasticsearch builds the adapter on the given client and index', async () => {
    const es = createEsMock();
    es.mock.add({ method: ['GET', 'POST'], path: '/records/_count' }, () => ({ count: 3 }));
    const store = createRecordStore({ kind: 'elasticsearch', client: es.client });
    expect(store).toBeInstanceOf(ElasticsearchRecordStore);
    expect(await store.count()).toBe(3);
    await store.close();
  });

  it('kind elasticsearch without node or client is a STORE_ERR_INVALID', () => {
    expect(() => createRecordStore({ kind: 'elasticsearch' })).toThrow(
      expect.objectContaining({ code: 'STORE_ERR_INVALID' }),
    );
  });
});
