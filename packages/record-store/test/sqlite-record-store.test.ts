import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteRecordStore } from '../src/index.js';
import { describeRecordStoreContract } from './helpers/record-store-contract.js';
import { describeFieldAdminContract } from './helpers/field-admin-contract.js';
import { describeTotalCapContract } from './helpers/total-cap-contract.js';

describeRecordStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'oip-record-store-'));
  const store = createSqliteRecordStore({ dataDir: dir });
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeFieldAdminContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'oip-record-store-'));
  const store = createSqliteRecordStore({ dataDir: dir });
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeTotalCapContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'oip-record-store-'));
  const store = createSqliteRecordStore({ dataDir: dir });
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
