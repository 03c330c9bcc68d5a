// Records the store lacks, looked up on our relay for dref resolution: bounded concurrency, the
// gun-client's negative cache makes a repeated miss free, and nothing fetched is stored here.
// A relay record is read exactly as the sync-worker reads one (@oip/records): GUN links followed,
// then believed as the sync-worker believes it (a signature must hold against the soul's
// publisher, an unsigned record only under the node's unsigned policy, encrypted data never
// shown: this node opens no one's records for a page), then converted by convertGunRecord (arrays
// restored, validated, creator nested, did/didTx/storage, indexedAt and syncedAt), so a record
// looks the same whether it was synced or fetched for a dref.
import type { GunClient } from '@oip/gun-client';
import { isVisible, type AccessOption, type OipRecord } from '@oip/record-store';
import {
  checkRecordSignature,
  convertGunRecord,
  isEncryptedData,
  isEncryptedMeta,
  isObject,
  mapBounded,
  resolveLinks,
  soulFromDid,
  unsignedRecordAcceptable,
  type GunRecordNode,
  type LinkBounds,
  type UnsignedPolicy,
} from '@oip/records';

/** True when this node believes a (links followed) relay record and may show its data. */
export function believedRelayRecord(soul: string, record: GunRecordNode, unsigned: UnsignedPolicy): boolean {
  const { data, oip, meta } = record;
  if (!isObject(oip) || isEncryptedMeta(meta) || isEncryptedData(data)) return false;
  const check = checkRecordSignature({ soul, data, oip, meta: isObject(meta) ? meta : null });
  if (check.status === 'invalid') return false;
  return check.status === 'valid' || unsignedRecordAcceptable(soul, oip, unsigned);
}

export interface RelayFetchOptions {
  /** Lookups in flight at once. */
  concurrency: number;
  /** The caller's access: a restricted record they may not read is dropped, as in the store. */
  access?: AccessOption;
  /** Unsigned (legacy) relay records: refused, or accepted when attributable. @defaultValue 'refuse' */
  unsigned?: UnsignedPolicy;
  /** Bounds on the GUN links followed per record. @defaultValue resolveLinks' (32 links, 1 MiB, 4 levels) */
  linkBounds?: LinkBounds;
  signal?: AbortSignal;
  /** The reading time (`oip.syncedAt`). @defaultValue Date.now */
  now?: () => number;
}

/** One relay record for `did` in our record's shape, or null when absent or not a record this node shows. */
export async function recordFromRelay(
  relay: GunClient,
  did: string,
  opts: Omit<RelayFetchOptions, 'concurrency' | 'access'> = {},
): Promise<OipRecord | null> {
  const soul = soulFromDid(did);
  if (!soul) return null;
  const node = await relay.getRecord(soul, opts.signal ? { signal: opts.signal } : {});
  if (!node) return null;
  const record = await resolveLinks(node, relay, opts.linkBounds);
  if (!believedRelayRecord(soul, record, opts.unsigned ?? 'refuse')) return null;
  const converted = convertGunRecord(record, did, new Date((opts.now ?? Date.now)()));
  return converted.ok ? converted.record : null;
}

/** Fetches `dids` from the relay, at most `concurrency` at once; failures count as misses. */
export async function fetchFromRelay(
  relay: GunClient,
  dids: readonly string[],
  opts: RelayFetchOptions,
): Promise<Map<string, OipRecord>> {
  const out = new Map<string, OipRecord>();
  await mapBounded(dids, opts.concurrency, async (did) => {
    try {
      const rec = await recordFromRelay(relay, did, opts);
      if (rec && isVisible(rec, opts.access)) out.set(did, rec);
    } catch {
      // An unreachable relay (or a link it does not answer) leaves the dref unresolved, as legacy
      // did; the page still answers.
    }
  });
  return out;
}
