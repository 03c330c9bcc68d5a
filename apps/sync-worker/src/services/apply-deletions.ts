// Applies deletion-registry entries, trusting only what their signers may delete. A signed entry
// applies when its signer is the publisher of the record's soul; a bad or foreign signature is
// refused. An unsigned (legacy) entry never removes a signed record (refused); it removes an
// unsigned record held here, and for a record not held here it is noted, so that only an unsigned
// version arriving later yields to it. Refusals are counted once per DID and looked at again after
// a pause (the owner may still sign a deletion at the same soul).
import type { GunClient } from '@oip/gun-client';
import { checkDeletionSignature, deletionSoul } from '@oip/records';
import type { RecordStore } from '@oip/record-store';
import type { DeadLetterService, DeletionLedger, SyncState } from '@oip/sync-state';
import type { Logger } from 'pino';

export interface DeletionDeps {
  state: SyncState;
  store: RecordStore;
  deadLetters: DeadLetterService;
  ledger: DeletionLedger;
  logger: Logger;
  /** A refused deletion is fetched again after this long. @defaultValue 600000 */
  deletionRecheckMs?: number | undefined;
  now?: () => number;
}

export interface DeletionCounts {
  applied: number;
  refused: number;
  /** Unsigned deletions of records not held here, noted for an unsigned version arriving later. */
  noted: number;
}

const errCode = (err: unknown): string =>
  String((err as { code?: unknown } | null)?.code ?? (err as Error)?.name ?? 'ERROR');

type Verdict = { kind: 'apply' } | { kind: 'refuse'; problem: string } | { kind: 'note' };

async function verdictFor(did: string, entry: unknown, store: RecordStore): Promise<Verdict> {
  const check = checkDeletionSignature(entry, did);
  if (check.status === 'valid') return { kind: 'apply' };
  if (check.status === 'invalid') return { kind: 'refuse', problem: check.problem };
  const held = await store.get(did);
  if (held === null) return { kind: 'note' };
  return typeof held.oip['sigScheme'] === 'string'
    ? { kind: 'refuse', problem: 'unsigned-over-signed' }
    : { kind: 'apply' };
}

/** Applies the deletions listed by one relay; already applied and recently refused DIDs are skipped. */
export async function applyDeletions(
  deps: DeletionDeps,
  client: Pick<GunClient, 'getSoul'>,
  dids: readonly string[],
): Promise<DeletionCounts> {
  const counts: DeletionCounts = { applied: 0, refused: 0, noted: 0 };
  const unique = [...new Set(dids.filter((d) => d.startsWith('did:')))];
  if (unique.length === 0) return counts;
  const now = (deps.now ?? Date.now)();
  const known = await deps.state.deletedAmong(unique);
  const pending = unique.filter((d) => !known.has(d));
  const [refused, noted] = await Promise.all([
    deps.ledger.recentlyRefused(pending, deps.deletionRecheckMs ?? 600_000, now),
    deps.ledger.unsignedAmong(pending),
  ]);
  const done: string[] = [];
  for (const did of pending) {
    if (refused.has(did) || noted.has(did)) continue;
    try {
      const verdict = await verdictFor(did, await client.getSoul(deletionSoul(did)), deps.store);
      if (verdict.kind === 'refuse') {
        if (await deps.ledger.refuse(did, verdict.problem, now))
          deps.logger.warn({ did, problem: verdict.problem }, 'deletion refused');
        counts.refused++;
        continue;
      }
      if (verdict.kind === 'note') {
        await deps.ledger.noteUnsigned(did);
        counts.noted++;
        continue;
      }
      // Store first: if this fails the DID is not marked and the next pass tries again.
      await deps.store.delete(did);
      await deps.deadLetters.forget(did);
      await deps.ledger.clearRefusal(did);
      done.push(did);
    } catch (err) {
      deps.logger.warn({ did, code: errCode(err) }, 'deletion not applied; will retry next pass');
    }
  }
  counts.applied = await deps.state.markDeleted(done);
  return counts;
}
