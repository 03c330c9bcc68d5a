// Bulk-loads the records benchmarks' FitnessAlly records into an Elasticsearch index through our
// store's bulkUpsert (the documents the store writes, guard on): batches of 5,000, two in flight,
// with refresh off and no replicas during the load, then the refresh interval set back to the default 1 s
// and one refresh, so every record is searchable when it returns.
import { createEsClient, createElasticsearchRecordStore, type OipRecord } from '@oip/record-store';

export interface EsLoad {
  index: string;
  records: number;
  /** Seconds spent loading; null when the index already held the records. */
  seconds: number | null;
}

const BATCH = 5000;
const IN_FLIGHT = 2;

/**
 * Loads records 0..count-1 (`recordOf(i)`) into `index` at `url`. An index that already holds
 * exactly `count` documents is reused; any other is deleted first. Throws past `boundMs`.
 */
export async function loadIntoElasticsearch(
  url: string,
  index: string,
  count: number,
  recordOf: (i: number) => OipRecord,
  boundMs: number,
): Promise<EsLoad> {
  const client = createEsClient({ node: url, maxSockets: IN_FLIGHT + 1, requestTimeoutMs: 120_000 });
  const store = createElasticsearchRecordStore({ client, index, maxBulkSize: BATCH });
  try {
    if (await client.indices.exists({ index })) {
      const { count: have } = await client.count({ index });
      if (have === count) return { index, records: count, seconds: null };
      await client.indices.delete({ index });
    }
    await store.bulkUpsert([]); // the store creates the index with its mapping
    await client.indices.putSettings({ index, settings: { refresh_interval: '-1', number_of_replicas: 0 } });
    const started = performance.now();
    let next = 0;
    let reported = 0;
    const lane = async () => {
      while (next < count) {
        if (performance.now() - started > boundMs)
          throw new Error(`loading ${count} records into Elasticsearch took longer than ${boundMs / 1000} s`);
        const from = next;
        next = Math.min(count, next + BATCH);
        const records = Array.from({ length: next - from }, (_, k) => recordOf(from + k));
        const results = await store.bulkUpsert(records);
        const failed = results.find((r) => !r.ok);
        if (failed) throw new Error(`record ${failed.did} rejected: ${failed.error?.code} ${failed.error?.message}`);
        if (next - reported >= 100_000) {
          reported = next;
          console.log(`  loaded ${next.toLocaleString()} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    await client.indices.putSettings({ index, settings: { refresh_interval: '1s' } }); // the default
    await client.indices.refresh({ index });
    const seconds = (performance.now() - started) / 1000;
    const { count: loaded } = await client.count({ index });
    if (loaded !== count) throw new Error(`Elasticsearch index ${index} holds ${loaded} records, expected ${count}`);
    return { index, records: count, seconds };
  } finally {
    await store.close();
    await client.close();
  }
}
