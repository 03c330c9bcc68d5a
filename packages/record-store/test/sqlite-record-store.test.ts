import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteRecordStore } from '../src/index.js';
import { type ContractHarness, describeRecordStoreContract } from './helpers/record-store-contract.js';
import { describeFieldAdminContract } from './helpers/field-admin-contract.js';

/** A fresh store in its own temp directory, removed at cleanup. */
async function openSqlite(): Promise<ContractHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'oip-record-store-'));
  const store = createSqliteRecordStore({ dataDir: dir });
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describeRecordStoreContract('sqlite', openSqlite);

describeFieldAdminContract('sqlite', openSqlite);
