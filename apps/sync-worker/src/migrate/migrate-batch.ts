// One page of a legacy index into the store: each document converted (@oip/records
// convertLegacyIndexDoc: the validation synced records get), compared with what the store holds,
// and the changed ones written in one bulk request. The comparison is by content hash: every
// record the migration writes carries `oip.migrationHash`, the SHA-256 of the legacy document's
// canonical JSON (and of the conversion's version), so a document whose hash the store already
// holds is skipped without a write, and a second run writes nothing. A record the store holds
// without that hash (synced from a relay, or published here) is never overwritten.
// Failures are dead-lettered with their reasons; transient store errors are retried, then stop
// the run before its cursor moves.
import { createHash } from 'node:crypto';
import { canonicalJson, convertLegacyIndexDoc, type LegacyIndexKind } from '@oip/records';
import type { BulkItemResult, OipRecord, RecordStore } from '@oip/record-store';
import { DeadLetterCodes, boundReason } from '@oip/queue-contracts';
import { conflictReason } from '../services/record-endings.js';
import type { LegacyHit } from './legacy-reader.js';
import type { MigrateDeadLetters, MigrateFailure } from './migrate-dead-letters.js';
import type { MigrateTally } from './migrate-tally.js';

/** The store field holding the legacy document's content hash. */
export const MIGRATION_HASH_FIELD = 'migrationHash';
/** Bumped when the conversion changes, so the next run writes every record again. */
const CONVERSION_VERSION = '1';

/** How often a page's transient store failures are retried before the run stops. */
const STORE_RETRIES = 3;

export interface BatchContext {
  kind: LegacyIndexKind;
  /** The legacy index's name (the tally's key). */
  index: string;
  /** The dead letters' source (`legacy-es:<url>/<index>`). */
  source: string;
  store: RecordStore;
  /** Null in a dry run: nothing is dead-lettered, nothing is checked against the deletion ledger. */
  deadLetters: MigrateDeadLetters | null;
  dryRun: boolean;
  tally: MigrateTally;
  /** Waits between store retries. @defaultValue setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

export class MigrateStoreError extends Error {
  readonly code = 'SYNC_ERR_MIGRATE_STORE';
}

export function contentHash(source: unknown): string {
  return createHash('sha256')
    .update(`${CONVERSION_VERSION}\n${canonicalJson(source)}`)
    .digest('hex')
    .slice(0, 40);
}

interface Candidate {
  record: OipRecord;
  hit: LegacyHit;
  hash: string;
}

function storeFailure(c: Candidate, e: NonNullable<BulkItemResult['error']>): MigrateFailure {
  const mapping = e.code === 'STORE_ERR_MAPPING';
  return {
    did: c.record.oip.did,
    docId: c.hit.id,
    recordType: c.record.oip.recordType,
    hash: c.hash,
    code: mapping ? DeadLetterCodes.MAPPING_CONFLICT : DeadLetterCodes.STORE_REJECTED,
    message: `${e.code}: ${e.message}`,
    reasons: e.conflict ? [conflictReason(e.conflict)] : [],
    source: c.hit.source,
  };
}

/** Writes `candidates`, retrying transient failures; the permanent ones come back as failures. */
async function write(
  ctx: BatchContext,
  candidates: Candidate[],
): Promise<{ ok: Candidate[]; failed: MigrateFailure[] }> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const ok: Candidate[] = [];
  const failed: MigrateFailure[] = [];
  let pending = candidates;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const results = await ctx.store.bulkUpsert(pending.map((c) => c.record));
    const retry: Candidate[] = [];
    let last = '';
    results.forEach((r, i) => {
      const c = pending[i]!;
      if (r.ok) ok.push(c);
      else if (r.error && !r.error.permanent) {
        retry.push(c);
        last = `${r.error.code}: ${r.error.message}`;
      } else
        failed.push(
          storeFailure(c, r.error ?? { code: 'STORE_ERR_INTERNAL', message: 'store refused it', permanent: true }),
        );
    });
    if (retry.length > 0 && attempt >= STORE_RETRIES)
      throw new MigrateStoreError(`the store kept failing ${retry.length} records (${last})`);
    if (retry.length > 0) await sleep(500 * 2 ** attempt);
    pending = retry;
  }
  return { ok, failed };
}

/** Converts, compares and writes one page; counts everything in `ctx.tally`. Returns the DIDs that failed. */
export async function migrateBatch(ctx: BatchContext, hits: readonly LegacyHit[]): Promise<Set<string>> {
  const { index, tally } = ctx;
  const failures: MigrateFailure[] = [];
  const candidates: Candidate[] = [];
  for (const hit of hits) {
    const hash = contentHash(hit.source);
    const out = convertLegacyIndexDoc(ctx.kind, hit.source, hit.id);
    tally.read(index, out.ok ? out.record.oip.recordType : out.recordType);
    if (!out.ok) {
      failures.push({
        did: out.did ?? `${index}/${hit.id}`,
        docId: hit.id,
        recordType: out.recordType,
        hash,
        code: DeadLetterCodes.INVALID_RECORD,
        message: out.message,
        reasons: out.failures.map((f) => boundReason({ kind: 'invalid', path: f.path, rule: f.rule })),
        source: hit.source,
      });
      continue;
    }
    out.record.oip[MIGRATION_HASH_FIELD] = hash;
    candidates.push({ record: out.record, hit, hash });
  }
  const dids = candidates.map((c) => c.record.oip.did);
  // The failures' DIDs too: a record the store holds from sync is no dead letter of ours.
  const failedDids = failures.map((f) => f.did).filter((d) => d.startsWith('did:'));
  const [held, deleted] = await Promise.all([
    ctx.store.getMany([...dids, ...failedDids]),
    ctx.deadLetters ? ctx.deadLetters.deletedAmong(dids) : Promise.resolve(new Set<string>()),
  ]);
  for (let i = failures.length - 1; i >= 0; i--) {
    const f = failures[i]!;
    const stored = held.get(f.did);
    if (stored && stored.oip[MIGRATION_HASH_FIELD] === undefined) {
      tally.skipped(index, f.recordType, 'held');
      failures.splice(i, 1);
    }
  }
  const changed: Candidate[] = [];
  for (const c of candidates) {
    const { did, recordType } = c.record.oip;
    const stored = held.get(did);
    if (deleted.has(did)) tally.skipped(index, recordType, 'deleted');
    else if (stored && stored.oip[MIGRATION_HASH_FIELD] === undefined) tally.skipped(index, recordType, 'held');
    else if (stored && stored.oip[MIGRATION_HASH_FIELD] === c.hash) tally.skipped(index, recordType, 'unchanged');
    else if (ctx.dryRun) tally.skipped(index, recordType, 'dry-run');
    else changed.push(c);
  }
  if (changed.length > 0) {
    const { ok, failed } = await write(ctx, changed);
    for (const c of ok) tally.written(index, c.record.oip.recordType);
    failures.push(...failed);
    await ctx.deadLetters?.forget(ok.filter((c) => !held.has(c.record.oip.did)).map((c) => c.record.oip.did));
  }
  for (const f of failures) tally.failed(index, f.recordType, f.code);
  if (ctx.deadLetters && !ctx.dryRun) await Promise.all(failures.map((f) => ctx.deadLetters!.write(ctx.source, f)));
  return new Set(failures.map((f) => f.did));
}
