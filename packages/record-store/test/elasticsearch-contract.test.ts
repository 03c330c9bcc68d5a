// The shared contracts on a real Elasticsearch node (helpers/real-elasticsearch.ts): the record
// store contract (legacy filters, access levels, paging and caps included) and the field-type
// contract with the guard on and off (off: the node's own mapping errors are parsed). Each test
// has an index of its own.
import { describe } from 'vitest';
import { describeRecordStoreContract } from './helpers/record-store-contract.js';
import { describeFieldAdminContract } from './helpers/field-admin-contract.js';
import { realStore, skipWithoutElasticsearch } from './helpers/real-elasticsearch.js';

const skip = skipWithoutElasticsearch === undefined ? {} : { skipReason: skipWithoutElasticsearch };
describeRecordStoreContract('elasticsearch', () => Promise.resolve(realStore()), skip);

describe.skipIf(skipWithoutElasticsearch !== undefined)('elasticsearch field types', () => {
  for (const guard of [true, false]) {
    describeFieldAdminContract(`elasticsearch (guard ${guard ? 'on' : 'off: ES errors parsed'})`, () =>
      Promise.resolve(realStore({ guard })),
    );
  }
});
