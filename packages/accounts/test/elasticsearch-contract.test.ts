// The AccountStore contract on a real Elasticsearch node (helpers/real-elasticsearch.ts). Each
// test has an index of its own; each open() is a new store (and client) over that index.
import { describe } from 'vitest';
import { createElasticsearchAccountStore } from '../src/index.js';
import { describeAccountStoreContract } from './helpers/account-store-contract.js';
import { dropIndex, elasticsearchUrl, noElasticsearch, uniqueIndex } from './helpers/real-elasticsearch.js';

describe.skipIf(noElasticsearch)('Elasticsearch (real node)', () => {
  describeAccountStoreContract('Elasticsearch (real node)', () => {
    const index = uniqueIndex();
    return Promise.resolve({
      open: () => Promise.resolve(createElasticsearchAccountStore({ url: elasticsearchUrl!, index })),
      destroy: () => dropIndex(index),
    });
  });
});
