// Whether a fetched record is what its publisher wrote, and its data readable. A record signed
// with our scheme must verify against its soul's publisher (@oip/records checkRecordSignature);
// a bad signature is dead-lettered with its own code. Unsigned (legacy) records are refused by
// default (SYNC_UNSIGNED_RECORDS=refuse); accepted, they must still name a creator whose key is the
// soul's publisher, never replace a signed version, and yield to an unsigned deletion noted
// earlier. Encrypted records are opened with the keys this node holds for its own users; the rest
// are counted as unreadable (gone), not dead-lettered. An opened record is never indexed as public.
import {
  checkRecordSignature,
  type GunRecordNode,
  isEncryptedData,
  isEncryptedMeta,
  openGunRecordData,
  type RecordKeySource,
  restrictedLevel,
  type UnsignedPolicy,
  unsignedRecordAcceptable,
  isObject,
} from '@oip/records';
import { DeadLetterCodes, type DeadLetterCode } from '@oip/queue-contracts';
import type { RecordStore } from '@oip/record-store';
import type { DeletionLedger } from '@oip/sync-state';

export type { UnsignedPolicy };

export interface TrustDeps {
  unsigned: UnsignedPolicy;
  /** This node's users' keys; null when the worker holds none (no custody secret). */
  keys: RecordKeySource | null;
  store: Pick<RecordStore, 'get'>;
  ledger: Pick<DeletionLedger, 'hasUnsigned'>;
}

export type TrustOutcome =
  | { kind: 'ok'; record: GunRecordNode }
  | { kind: 'dead'; code: DeadLetterCode; message: string }
  /** Encrypted and not readable here: counted as gone with this reason. */
  | { kind: 'unreadable'; reason: string }
  /** An unsigned record whose DID an unsigned deletion named before it arrived. */
  | { kind: 'deleted' };

async function checkUnsigned(
  soul: string,
  did: string,
  oip: Record<string, unknown>,
  deps: TrustDeps,
): Promise<TrustOutcome | null> {
  if (deps.unsigned === 'refuse') {
    return {
      kind: 'dead',
      code: DeadLetterCodes.UNSIGNED,
      message: 'unsigned record refused (SYNC_UNSIGNED_RECORDS=refuse)',
    };
  }
  if (!unsignedRecordAcceptable(soul, oip, deps.unsigned)) {
    return {
      kind: 'dead',
      code: DeadLetterCodes.BAD_SIGNATURE,
      message: "unsigned record whose creator is not its soul's publisher",
    };
  }
  const held = await deps.store.get(did);
  if (held !== null && typeof held.oip['sigScheme'] === 'string') {
    return {
      kind: 'dead',
      code: DeadLetterCodes.UNSIGNED,
      message: 'an unsigned version never replaces a signed record',
    };
  }
  if (await deps.ledger.hasUnsigned(did)) return { kind: 'deleted' };
  return null;
}

export async function trustRecord(
  soul: string,
  did: string,
  record: GunRecordNode,
  deps: TrustDeps,
): Promise<TrustOutcome> {
  const oip = isObject(record.oip) ? record.oip : {};
  const check = checkRecordSignature({
    soul,
    data: record.data,
    oip,
    meta: isObject(record.meta) ? record.meta : null,
  });
  if (check.status === 'invalid')
    return { kind: 'dead', code: DeadLetterCodes.BAD_SIGNATURE, message: `signature does not hold: ${check.problem}` };
  if (check.status === 'unsigned') {
    const refused = await checkUnsigned(soul, did, oip, deps);
    if (refused !== null) return refused;
  }
  if (!isEncryptedMeta(record.meta) && !isEncryptedData(record.data)) return { kind: 'ok', record };
  if (deps.keys === null) return { kind: 'unreadable', reason: 'encrypted' };
  const opened = await openGunRecordData({ data: record.data, oip, meta: record.meta }, deps.keys);
  if (opened.kind !== 'opened')
    return {
      kind: 'unreadable',
      reason: opened.kind === 'plain' ? 'encrypted' : `encrypted_${opened.reason.replace('-', '_')}`,
    };
  const data = opened.data;
  if (restrictedLevel(data) === null) {
    const ac = isObject(data['accessControl']) ? data['accessControl'] : {};
    data['accessControl'] = { ...ac, access_level: 'private', owner_public_key: opened.readBy };
  }
  const meta = { ...(isObject(record.meta) ? record.meta : {}), encrypted: false, wasEncrypted: true };
  return { kind: 'ok', record: { ...record, data, meta } };
}
