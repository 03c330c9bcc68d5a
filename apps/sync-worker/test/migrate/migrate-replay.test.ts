// A migrated record refused for a field type is dead-lettered with its mapping-conflict reason;
// `oip dlq replay` leaves the entry to the migration (it has no relay to read the record from);
// after `oip store fields widen`, `oip migrate records --replay-dead-letters` reads that document
// again from the legacy index and stores it, and the entry goes. Real SQLite store, real Redis,
// legacy index on the real Elasticsearch of ELASTICSEARCH_URL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DeadLetterCodes } from '@oip/queue-contracts';
import { createRecordStore, type RecordStore } from '@oip/record-store';
import { DeadLetterService } from '@oip/sync-state';
import { runCli } from '../../src/cli/run-cli.js';
import { runStoreCli } from '../../src/cli/store-cli.js';
import { runMigrateCli } from '../../src/migrate/migrate-cli.js';
import { captureIo } from '../helpers/cli-io.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { elasticsearchUrl, noElasticsearch } from '../helpers/real-elasticsearch.js';
import { PUB, createLegacyNode, gunDoc, type LegacyNode } from './legacy-node.js';

const DID = `did:gun:${PUB}:b-half-hour`;

describe.skipIf(noElasticsearch)('a migrated record in the dead-letter queue', () => {
  let legacy: LegacyNode;
  let env: TestEnv;
  let store: RecordStore;
  let dlq: DeadLetterService;

  beforeEach(async () => {
    legacy = await createLegacyNode('replay');
    env = await createTestEnv();
    await legacy.put('records', [
      { id: `did:gun:${PUB}:a-hour`, doc: gunDoc(`${PUB}:a-hour`, 'workout', { total_duration_minutes: 60 }) },
      { id: DID, doc: gunDoc(`${PUB}:b-half-hour`, 'workout', { total_duration_minutes: 27.5 }) },
    ]);
    store = createRecordStore({ kind: 'sqlite', dataDir: join(env.dir, 'records') });
    dlq = new DeadLetterService({ connection: env.redis, prefix: env.prefix });
  });

  afterEach(async () => {
    await dlq.close();
    await store.close();
    await legacy.drop();
    await env.cleanup();
  });

  async function migrate(extra: string[] = []) {
    const t = captureIo();
    const config = env.config({ store: { kind: 'sqlite', dataDir: join(env.dir, 'records') } });
    const argv = ['migrate', 'records', '--from-elasticsearch', elasticsearchUrl!, ...legacy.flags, '--json', ...extra];
    expect(await runMigrateCli(argv, config, t.io, { isTTY: false, write: () => {} })).toBe(0);
    return JSON.parse(t.out.at(-1)!) as { totals: { read: number; written: number; skipped: number; failed: number } };
  }

  it('is replayed by the migration after a widening, not by oip dlq replay', async () => {
    // The first workout (by DID, the order pages are read in) fixes total_duration_minutes as long; the second one's 27.5 conflicts.
    expect((await migrate()).totals).toEqual({ read: 2, written: 1, skipped: 0, failed: 1 });
    expect(await dlq.show(DID)).toMatchObject({
      code: DeadLetterCodes.MAPPING_CONFLICT,
      reasons: [
        {
          kind: 'mapping_conflict',
          path: 'data.workout.total_duration_minutes',
          fixedType: 'long',
          incomingType: 'float',
          sample: '27.5',
        },
      ],
    });
    const grouped = captureIo();
    expect(await runCli(['dlq', 'list', '--group', 'path', '--json'], dlq, grouped.io)).toBe(0);
    expect(JSON.parse(grouped.out[0]!)).toMatchObject({
      groups: [expect.objectContaining({ path: 'data.workout.total_duration_minutes', count: 1 })],
    });

    // oip dlq replay keeps the entry and says how it is replayed.
    const replay = captureIo();
    expect(await runCli(['dlq', 'replay', DID], dlq, replay.io)).toBe(1);
    expect(replay.err.join('\n')).toContain('--replay-dead-letters');
    expect(await dlq.show(DID)).not.toBeNull();

    // Before the widening a replay fails again, the entry kept.
    expect((await migrate(['--replay-dead-letters'])).totals).toMatchObject({ read: 1, written: 0, failed: 1 });
    const widen = captureIo();
    expect(
      await runStoreCli(['store', 'fields', 'widen', 'data.workout.total_duration_minutes', 'double'], store, widen.io),
    ).toBe(0);
    expect((await migrate(['--replay-dead-letters'])).totals).toEqual({ read: 1, written: 1, skipped: 0, failed: 0 });
    expect(await dlq.show(DID)).toBeNull();
    expect((await store.get(DID))!.data['workout']!['total_duration_minutes']).toBe(27.5);
    // A full run after it finds both stored.
    expect((await migrate()).totals).toEqual({ read: 2, written: 0, skipped: 2, failed: 0 });
  });
});
