// Deterministic job ids. BullMQ forbids ':' in custom ids and DIDs are full of them, so the DID
// is hashed; the job data keeps the readable DID.
import { createHash } from 'node:crypto';

/** 24 hex chars of sha256(did): collision odds are negligible for any realistic record count. */
export function didKey(did: string): string {
  return createHash('sha256').update(did).digest('hex').slice(0, 24);
}

/**
 * `rec_<didKey>_<version>` (`_r<n>` appended for the n-th replay). The same record at the same
 * version always gets the same id, so adding it twice returns the job already there.
 */
export function syncRecordJobId(did: string, version: string, replay?: number): string {
  const base = `rec_${didKey(did)}_${version}`;
  return replay ? `${base}_r${replay}` : base;
}

/** One dead letter per DID: a newer failure of the same record replaces the older entry. */
export function deadLetterJobId(did: string): string {
  return `dl_${didKey(did)}`;
}
