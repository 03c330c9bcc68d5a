// Where the migration's failures go: the sync worker's dead-letter queue, with the same codes and
// structured reasons synced records get (`oip dlq list` shows them, `--group path` groups them).
// An entry names the legacy index as its source (`sourceRelay` = `legacy-es:<url>/<index>`,
// never with credentials), the document id as its soul and the document's content hash as its
// version; the sync state holds it dead at that version, so `oip dlq replay` queues a
// migrate-record job for it (processors/migrate-record.ts reads it again from the legacy index).
// A later run that writes the record removes its entry; `--replay-dead-letters` reads the
// documents of this source's entries again (entriesOf) without a worker.
import { capRecordJson, type DeadLetterCode, type DeadLetterReason } from '@oip/queue-contracts';
import type { DeadLetterService, SyncState } from '@oip/sync-state';

const PAGE = 1000;

export interface MigrateFailure {
  /** The record's DID, or `<index>/<id>` for a document without one. */
  did: string;
  docId: string;
  recordType: string;
  /** The document's content hash (the entry's version). */
  hash: string;
  code: DeadLetterCode;
  message: string;
  reasons: DeadLetterReason[];
  /** The legacy document, kept capped for the operator. */
  source: unknown;
}

export interface MigrateDeadLettersOptions {
  deadLetters: DeadLetterService;
  state: SyncState;
  now?: () => number;
}

export class MigrateDeadLetters {
  readonly #dlq: DeadLetterService;
  readonly #state: SyncState;
  readonly #now: () => number;
  /** Whether the queue held entries when the run started (none: nothing to remove after a write). */
  #hadEntries: boolean | null = null;

  constructor(o: MigrateDeadLettersOptions) {
    this.#dlq = o.deadLetters;
    this.#state = o.state;
    this.#now = o.now ?? Date.now;
  }

  async write(source: string, f: MigrateFailure): Promise<void> {
    const t = this.#now();
    await this.#dlq.write({
      did: f.did,
      soul: f.docId === '' ? f.did : f.docId,
      recordType: f.recordType,
      version: f.hash,
      sourceRelay: source,
      code: f.code,
      message: f.message.slice(0, 2048),
      attempts: 1,
      firstFailedAt: await this.#state.firstFailure(f.did, t),
      lastFailedAt: t,
      ...capRecordJson(f.source),
      replays: 0,
      ...(f.reasons.length > 0 ? { reasons: f.reasons.slice(0, 16) } : {}),
    });
    this.#hadEntries = true;
    // Dead in the sync state at this version, as a synced record would be, so `oip dlq replay`
    // queues it again (a migrate-record job). Not for a document without a DID.
    if (!f.did.startsWith('did:')) return;
    const [claimed] = await this.#state.claim([{ did: f.did, version: f.hash }], t);
    if (claimed?.kind === 'new') await this.#state.finish(f.did, f.hash, 0, 'dead', f.code, t);
  }

  /** Removes the entries of records now written (a no-op when the queue was empty at the start). */
  async forget(dids: readonly string[]): Promise<void> {
    this.#hadEntries ??= (await this.#dlq.count()) > 0;
    if (!this.#hadEntries || dids.length === 0) return;
    await Promise.all(dids.map((did) => this.#dlq.forget(did)));
  }

  /**
   * The entries of `source` (DID and document id), newest first, from at most `maxScan` entries
   * read in pages of 1000 (memory holds one page and the matches).
   */
  async entriesOf(source: string, maxScan = 100_000): Promise<Array<{ did: string; docId: string }>> {
    const out: Array<{ did: string; docId: string }> = [];
    for (let offset = 0; offset < maxScan; offset += PAGE) {
      const page = await this.#dlq.list({ offset, limit: PAGE });
      for (const e of page) if (e.sourceRelay === source) out.push({ did: e.did, docId: e.soul });
      if (page.length < PAGE) break;
    }
    return out;
  }

  /** The DIDs among these this node's deletion ledger holds. */
  deletedAmong(dids: readonly string[]): Promise<Set<string>> {
    return this.#state.deletedAmong(dids);
  }
}
