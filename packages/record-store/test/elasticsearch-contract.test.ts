// The shared contract against a real cluster, only when ELASTICSEARCH_URL is set
// (e.g. ELASTICSEARCH_URL=http://127.0.0.1:9200); otherwise it shows up as skipped.
import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { createElasticsearchRecordStore } from '../src/index.js';
import { type ContractHarness, describeRecordStoreContract } from './helpers/record-store-contract.js';

const url = process.env['ELASTICSEARCH_URL'];

async function openIndex(): Promise<ContractHarness> {
  const index = `oip-records-test-${randomUUID()}`;
  const store = createElasticsearchRecordStore({ node: url!, index, refresh: 'wait_for', maxSockets: 4 });
  return {
    store,
    async cleanup() {
      await store.close();
      const admin = new Client({ node: url! });
      try {
        await admin.indices.delete({ index }, { ignore: [404] });
      } finally {
        await admin.close();
      }
    },
  };
}

const options = url === undefined || url === '' ? { skipReason: 'ELASTICSEARCH_URL not set' } : {};
describeRecordStoreContract('elasticsearch', openIndex, options);
