import { createElasticsearchAccountStore } from '../src/index.js';
import { describeAccountStoreContract } from './helpers/account-store-contract.js';
import { EsAccountsFake } from './helpers/es-accounts-fake.js';

// Each open() is a new client and store over the same in-memory cluster. The mock's
// connection holds no sockets (and cannot be closed), so there is nothing to release.
describeAccountStoreContract('Elasticsearch (@elastic/elasticsearch-mock, in-memory state)', () => {
  const fake = new EsAccountsFake();
  return Promise.resolve({
    open: () => Promise.resolve(createElasticsearchAccountStore({ client: fake.client(), index: 'accounts-test' })),
    destroy: () => Promise.resolve(fake.indices.clear()),
  });
});
