// Records our relay returned for drefs the store lacks, kept for a short while so the next page
// that references them does not ask the relay again (issue 12: 20 missing exercises cost 20
// relay requests on the first call and none on the second). Bounded by bytes and by age; each
// entry is the record's JSON text, so every use parses its own copy (the dref resolver
// substitutes in place). What is kept is what the relay said; each caller's access rule is
// applied on the way out. Nothing here is written to the store.
import type { GunClient } from '@oip/gun-client';
import { isVisible, type OipRecord } from '@oip/record-store';
import { LRUCache } from 'lru-cache';
import { fetchFromRelay, type RelayFetchOptions } from './relay-records.js';

export interface RelayRecordCacheOptions {
  /** Total JSON characters kept; 0 disables the cache. */
  maxBytes: number;
  ttlMs: number;
}

export class RelayRecordCache {
  readonly #lru: LRUCache<string, string> | null;

  constructor(opts: RelayRecordCacheOptions) {
    this.#lru =
      opts.maxBytes > 0
        ? new LRUCache<string, string>({
            maxSize: opts.maxBytes,
            maxEntrySize: Math.max(1, Math.floor(opts.maxBytes / 8)),
            sizeCalculation: (text: string) => Math.max(1, text.length),
            ttl: opts.ttlMs,
          })
        : null;
  }

  /** A fresh copy of the kept record, or undefined. */
  get(did: string): OipRecord | undefined {
    const text = this.#lru?.get(did);
    return text === undefined ? undefined : (JSON.parse(text) as OipRecord);
  }

  set(did: string, record: OipRecord): void {
    this.#lru?.set(did, JSON.stringify(record));
  }

  clear(): void {
    this.#lru?.clear();
  }
}

/** fetchFromRelay through the cache: kept records first, the rest from the relay (then kept). */
export async function fetchThroughCache(
  cache: RelayRecordCache,
  relay: GunClient,
  dids: readonly string[],
  opts: RelayFetchOptions,
): Promise<Map<string, OipRecord>> {
  const out = new Map<string, OipRecord>();
  const rest: string[] = [];
  for (const did of dids) {
    const kept = cache.get(did);
    if (kept === undefined) rest.push(did);
    else if (isVisible(kept, opts.access)) out.set(did, kept);
  }
  if (rest.length === 0) return out;
  // Fetched without the caller's access, so the cache holds what the relay said for everyone.
  const { access: _access, ...everyone } = opts;
  const fetched = await fetchFromRelay(relay, rest, everyone);
  for (const [did, rec] of fetched) {
    cache.set(did, rec);
    if (isVisible(rec, opts.access)) out.set(did, rec);
  }
  return out;
}
