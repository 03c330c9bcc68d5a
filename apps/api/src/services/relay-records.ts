// Records the store lacks, looked up on our relay for dref resolution: bounded concurrency, the
// gun-client's negative cache makes a repeated miss free, and nothing fetched is stored here.
// Anyone who reaches the mesh can write a soul, so a relay record is believed as the sync-worker
// believes it: a signature must hold against the soul's publisher, an unsigned record only under
// the node's unsigned policy, and encrypted data is never shown.
import { mapBounded, soulFromDid, type GunClient } from '@oip/gun-client';
import { isVisible, type AccessOption, type OipRecord } from '@oip/record-store';
import { checkRecordSignature, isEncryptedData, unsignedRecordAcceptable, type UnsignedPolicy } from '@oip/records';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A relay node in the record shape, or null when it is not a readable record this node believes. */
export function recordFromRelay(
  did: string,
  node: Record<string, unknown>,
  unsigned: UnsignedPolicy = 'refuse',
): OipRecord | null {
  const { data, oip, meta } = node;
  if (!isObject(data) || !isObject(oip) || typeof oip.recordType !== 'string') return null;
  if ((isObject(meta) && meta.encrypted === true) || isEncryptedData(data)) return null;
  const soul = soulFromDid(did) ?? '';
  const check = checkRecordSignature({ soul, data, oip, meta: isObject(meta) ? meta : null });
  if (check.status === 'invalid' || (check.status === 'unsigned' && !unsignedRecordAcceptable(soul, oip, unsigned)))
    return null;
  const rec: OipRecord = {
    data: data as OipRecord['data'],
    oip: { ...(oip as OipRecord['oip']), did, didTx: did, storage: 'gun' },
  };
  if (isObject(meta)) rec.meta = meta;
  return rec;
}

export interface RelayFetchOptions {
  /** Lookups in flight at once. */
  concurrency: number;
  /** The caller's access: a restricted record they may not read is dropped, as in the store. */
  access?: AccessOption;
  /** Unsigned (legacy) relay records: refused, or accepted when attributable. @defaultValue 'refuse' */
  unsigned?: UnsignedPolicy;
  signal?: AbortSignal;
}

/** Fetches `dids` from the relay, at most `concurrency` at once; failures count as misses. */
export async function fetchFromRelay(
  relay: GunClient,
  dids: readonly string[],
  opts: RelayFetchOptions,
): Promise<Map<string, OipRecord>> {
  const out = new Map<string, OipRecord>();
  const signal = opts.signal;
  await mapBounded(dids, opts.concurrency, async (did) => {
    const soul = soulFromDid(did);
    if (!soul) return;
    try {
      const node = await relay.getRecord(soul, signal ? { signal } : {});
      const rec = node ? recordFromRelay(did, node as Record<string, unknown>, opts.unsigned) : null;
      if (rec && isVisible(rec, opts.access)) out.set(did, rec);
    } catch {
      // An unreachable relay leaves the dref unresolved, as legacy did; the page still answers.
    }
  });
  return out;
}
