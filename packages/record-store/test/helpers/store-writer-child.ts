// Child process for the multi-process test: writes `count` records in batches into a shared
// SQLite store, plus one "race" record whose field type conflicts with the other child's.
import { createSqliteRecordStore } from '../../src/index.js';
import { makeRecord } from './records.js';

const [dir = '', name = 'writer', countArg, batchArg, raceValue] = process.argv.slice(2);
const count = Number(countArg);
const batchSize = Number(batchArg);
const store = createSqliteRecordStore({ dataDir: dir, busyTimeoutMs: 10_000 });
const report = { ok: 0, failed: 0, thrown: [] as string[], race: null as null | { ok: boolean; code?: string } };

const race = makeRecord({
  soul: `race:${name}`,
  recordType: 'race',
  // An object in one child, a string in the other: conflicting both ways, so only the first
  // committed type can win.
  data: { race: { value: raceValue === 'object' ? { n: 42 } : 'forty-two' } },
});

for (let start = 0; start < count; start += batchSize) {
  const records = Array.from({ length: Math.min(batchSize, count - start) }, (_, i) =>
    makeRecord({ soul: `${name}:r${start + i}`, tags: [name, 'shared'], date: start + i }),
  );
  if (start === Math.floor(count / batchSize / 2) * batchSize) records.push(race);
  try {
    const results = await store.bulkUpsert(records);
    for (const r of results) {
      if (r.did === race.oip.did) report.race = r.ok ? { ok: true } : { ok: false, code: r.error!.code };
      else if (r.ok) report.ok += 1;
      else report.failed += 1;
    }
  } catch (err) {
    report.thrown.push((err as { code?: string }).code ?? String(err));
  }
}
await store.close();
process.stdout.write(JSON.stringify(report));
