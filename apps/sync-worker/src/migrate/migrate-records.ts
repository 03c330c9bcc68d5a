// `oip migrate records`: every document of a legacy node's records index, then its templates,
// creatorregistrations and organizations indices, into this node's store, one page at a time
// (legacy-reader.ts), each page converted, compared and written (migrate-batch.ts), its cursor
// saved after the write (cursor-file.ts). The records index must exist; a registry index that
// does not is reported and passed over.
import type { LegacyIndexKind } from '@oip/records';
import type { RecordStore, createEsClient } from '@oip/record-store';
import type { MigrateRecordsArgs } from './migrate-args.js';
import { migrateBatch } from './migrate-batch.js';
import { CursorFile } from './cursor-file.js';
import { LEGACY_ES_SOURCE_PREFIX } from '@oip/queue-contracts';
import type { MigrateDeadLetters } from './migrate-dead-letters.js';
import { MigrateProgress, type ProgressSink } from './migrate-progress.js';
import { MigrateTally } from './migrate-tally.js';
import { LegacyIndexReader } from './legacy-reader.js';

export interface MigrateRecordsDeps {
  /** The legacy node's Elasticsearch (the caller closes it). */
  legacy: ReturnType<typeof createEsClient>;
  store: RecordStore;
  /** Names the store in the cursors (a cursor made for another store is not resumed). */
  storeId: string;
  /** Null in a dry run. */
  deadLetters: MigrateDeadLetters | null;
  stateDir: string;
  /** Where progress goes; null for none. */
  progress: ProgressSink | null;
  now?: () => number;
}

export interface IndexOutcome {
  index: string;
  kind: LegacyIndexKind;
  /** `absent`: a registry index the legacy node never made; `replayed`: --replay-dead-letters. */
  status: 'migrated' | 'resumed' | 'absent' | 'replayed';
}

export interface MigrateResult {
  tally: MigrateTally;
  indices: IndexOutcome[];
}

export class MigrateSourceError extends Error {
  readonly code = 'SYNC_ERR_MIGRATE_SOURCE';
}

async function migrateIndex(
  args: MigrateRecordsArgs,
  deps: MigrateRecordsDeps,
  tally: MigrateTally,
  kind: LegacyIndexKind,
  index: string,
): Promise<IndexOutcome> {
  const reader = new LegacyIndexReader(deps.legacy, index, args.batch);
  if (!(await reader.exists())) {
    if (kind === 'records') throw new MigrateSourceError(`the legacy records index "${index}" does not exist`);
    return { index, kind, status: 'absent' };
  }
  tally.index(index);
  const field = await reader.sortField();
  const source = `${LEGACY_ES_SOURCE_PREFIX}${args.url}/${index}`;
  const cursors = new CursorFile(deps.stateDir, index);
  const prev = args.dryRun || field === null ? null : await cursors.load(source, deps.storeId);
  const resumable = prev !== null && prev.sortField === field;
  const from = resumable ? prev.resumeFrom : null;
  if (resumable) tally.restore(prev.tally);
  let read = resumable ? prev.read : 0;
  const total = read + (await reader.count(field, from));
  const counts = () => {
    const t = tally.totals(index);
    return { ...t, read };
  };
  const progress = deps.progress ? new MigrateProgress(deps.progress, index, total, read, deps.now) : null;
  const ctx = {
    kind,
    index,
    source,
    store: deps.store,
    deadLetters: deps.deadLetters,
    dryRun: args.dryRun,
    tally,
  };
  const save = (resumeFrom: string | null, done: boolean) =>
    cursors.save({
      v: 1,
      source,
      store: deps.storeId,
      sortField: field,
      resumeFrom,
      read,
      total,
      done,
      tally: tally.indexJson(index),
      updatedAt: new Date((deps.now ?? Date.now)()).toISOString(),
    });
  let last = from;
  for await (const page of reader.pages(field, from)) {
    await migrateBatch(ctx, page.hits);
    read += page.hits.length;
    last = page.resumeFrom;
    if (!args.dryRun) await save(last, false);
    progress?.update(counts());
  }
  if (!args.dryRun) await save(last, true);
  progress?.finish(counts());
  return { index, kind, status: resumable ? 'resumed' : 'migrated' };
}

/**
 * --replay-dead-letters: the documents whose dead letters name this index as their source, read
 * again by id and migrated as a page is (an entry whose document the index no longer holds is
 * removed). No cursor: the dead-letter queue is the list of what is left.
 */
async function replayIndex(
  args: MigrateRecordsArgs,
  deps: MigrateRecordsDeps,
  tally: MigrateTally,
  kind: LegacyIndexKind,
  index: string,
): Promise<IndexOutcome> {
  const dl = deps.deadLetters;
  if (dl === null) throw new MigrateSourceError('--replay-dead-letters needs the dead-letter queue (not a dry run)');
  const reader = new LegacyIndexReader(deps.legacy, index, args.batch);
  if (!(await reader.exists())) {
    if (kind === 'records') throw new MigrateSourceError(`the legacy records index "${index}" does not exist`);
    return { index, kind, status: 'absent' };
  }
  tally.index(index);
  const source = `${LEGACY_ES_SOURCE_PREFIX}${args.url}/${index}`;
  const entries = await dl.entriesOf(source);
  const ctx = { kind, index, source, store: deps.store, deadLetters: dl, dryRun: false, tally };
  for (let i = 0; i < entries.length; i += args.batch) {
    const chunk = entries.slice(i, i + args.batch);
    const { hits, missing } = await reader.byIds(chunk.map((e) => e.docId));
    const failed = await migrateBatch(ctx, hits);
    for (const _ of missing) tally.skipped(index, '(gone)', 'gone');
    // Written, found unchanged or held, or gone from the index: the entry has nothing left to say.
    await dl.forget(chunk.filter((e) => !failed.has(e.did)).map((e) => e.did));
  }
  return { index, kind, status: 'replayed' };
}

/** Runs the whole migration; the tally says what it did. Throws when the source or the store fails. */
export async function migrateRecords(args: MigrateRecordsArgs, deps: MigrateRecordsDeps): Promise<MigrateResult> {
  const tally = new MigrateTally();
  const plan: Array<[LegacyIndexKind, string]> = [
    ['records', args.recordsIndex],
    ['templates', args.templatesIndex],
    ['creatorregistrations', args.creatorsIndex],
    ['organizations', args.organizationsIndex],
  ];
  const indices: IndexOutcome[] = [];
  const one = args.replayDeadLetters ? replayIndex : migrateIndex;
  for (const [kind, index] of plan) indices.push(await one(args, deps, tally, kind, index));
  return { tally, indices };
}
