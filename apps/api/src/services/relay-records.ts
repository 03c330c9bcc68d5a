// Records the store lacks, looked up on our relay for dref resolution: bounded concurrency, the
// gun-client's negative cache makes a repeated miss free, and nothing fetched is stored here.
import { mapBounded, soulFromDid, type GunClient } from '@oip/gun-client';
import type { OipRecord } from '@oip/record-store';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A relay node in the record shape, or null when it is not a readable public record. */
export function recordFromRelay(did: string, node: Record<string, unknown>): OipRecord | null {
  const { data, oip, meta } = node;
  if (!isObject(data) || !isObject(oip) || typeof oip.recordType !== 'string') return null;
  if (isObject(meta) && meta.encrypted === true) return null;
  const rec: OipRecord = { data: data as OipRecord['data'], oip: { ...(oip as OipRecord['oip']), did, didTx: did, storage: 'gun' } };
  if (isObject(meta)) rec.meta = meta;
  return rec;
}

/** Fetches `dids` from the relay, at most `concurrency` at once; failures count as misses. */
export async function fetchFromRelay(relay: GunClient, dids: readonly string[], concurrency: number, signal?: AbortSignal): Promise<Map<string, OipRecord>> {
  const out = new Map<string, OipRecord>();
  await mapBounded(dids, concurrency, async (did) => {
    const soul = soulFromDid(did);
    if (!soul) return;
    try {
      const node = await relay.getRecord(soul, signal ? { signal } : {});
      const rec = node ? recordFromRelay(did, node as Record<string, unknown>) : null;
      if (rec) out.set(did, rec);
    } catch {
      // An unreachable relay leaves the dref unresolved, as legacy did; the page still answers.
    }
  });
  return out;
}
