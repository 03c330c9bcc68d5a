// Builds the records benchmarks' SQLite store: FitnessAlly records 0..count-1 in batches of 5,000.
import type { RecordStore } from '@oip/record-store';
import { indexAll } from './api-server.js';
import { fitnessRecord } from './fitness-records.js';

/** Indexes records 0..count-1 in batches of 5,000 (resuming at `from`); throws past `boundMs`. */
export async function buildSqlite(store: RecordStore, count: number, boundMs: number, from = 0): Promise<number> {
  const started = performance.now();
  const batch = 5000;
  for (let i = from; i < count; i += batch) {
    if (performance.now() - started > boundMs)
      throw new Error(`building ${count} records took longer than ${boundMs / 1000} s (at ${i})`);
    const records = Array.from({ length: Math.min(batch, count - i) }, (_, k) => fitnessRecord(i + k));
    await indexAll(store, records, batch);
    if ((i / batch) % 40 === 0 && i > from)
      console.log(`  built ${i.toLocaleString()} records (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return (performance.now() - started) / 1000;
}
