// The whole shared contract (table-driven legacy filters included) against the ES adapter over
// the in-memory fake behind @elastic/elasticsearch-mock.
import { describe, expect, it } from 'vitest';
import { createElasticsearchRecordStore } from '../src/index.js';
import { createEsFake } from './helpers/es-fake.js';
import { describeRecordStoreContract } from './helpers/record-store-contract.js';
import { describeFieldAdminContract } from './helpers/field-admin-contract.js';

describeRecordStoreContract('elasticsearch (in-memory fake)', async () => {
  const es = createEsFake();
  const store = createElasticsearchRecordStore({ client: es.client });
  return {
    store,
    async cleanup() {
      // The mock connection has no close(); the injected client holds no sockets.
      await store.close();
    },
  };
});

for (const guard of [true, false]) {
  describeFieldAdminContract(
    `elasticsearch (in-memory fake, guard ${guard ? 'on' : 'off: ES errors parsed'})`,
    async () => {
      const es = createEsFake();
      const store = createElasticsearchRecordStore({ client: es.client, guard });
      return { store, cleanup: () => store.close() };
    },
  );
}

describe('es-fake honesty', () => {
  it('answers a clause it does not evaluate with 400, which the adapter surfaces', async () => {
    const es = createEsFake();
    const res = await es.client
      .search({ index: 'records', query: { fuzzy: { 'data.basic.name': 'x' } } })
      .catch((err: unknown) => err);
    expect((res as { meta?: { statusCode?: number } }).meta?.statusCode).toBe(400);
  });
});
