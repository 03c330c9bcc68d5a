// The dead-letter queue grouped by field path: one group per conflicting (or invalid) path with
// its count, record types, fixed vs incoming types, samples and first/last failure, so an
// operator sees "50 shoppingList records: item_amounts long vs float" instead of 50 messages.
import type { DeadLetterPayload } from '@oip/queue-contracts';

export interface DeadLetterGroup {
  /** The field path; null for entries that name no field (relay, exhausted, too large ...). */
  path: string | null;
  /** `mapping_conflict`, `invalid`, or null with `path: null`. */
  kind: 'mapping_conflict' | 'invalid' | null;
  /** Entries (one per record) in the group. */
  count: number;
  /** Of which indexed degraded (the field set aside) rather than dropped. */
  degraded: number;
  /** Entries per record type. */
  recordTypes: Record<string, number>;
  /** Entries per dead-letter code. */
  codes: Record<string, number>;
  /** Distinct fixed types seen (mapping conflicts). */
  fixedTypes: string[];
  /** Distinct incoming types seen (mapping conflicts). */
  incomingTypes: string[];
  /** Distinct broken rules (invalid records), at most MAX_SAMPLES. */
  rules: string[];
  /** Distinct incoming samples, at most MAX_SAMPLES. */
  samples: string[];
  /** Epoch ms of the first and the last failure in the group. */
  firstSeen: number;
  lastSeen: number;
}

export interface GroupResult {
  by: 'path';
  /** Entries read. */
  scanned: number;
  /** True when the queue holds more than `maxScan` entries (the groups cover the newest). */
  truncated: boolean;
  /** Largest groups first (ties by path; the no-path group last). */
  groups: DeadLetterGroup[];
}

const MAX_SAMPLES = 3;

/** Folds entries into path groups. */
export class PathGrouper {
  readonly #groups = new Map<string, DeadLetterGroup>();

  add(e: DeadLetterPayload): void {
    const reasons = e.reasons ?? [];
    if (reasons.length === 0) {
      this.#fold(this.#group(null, null), e);
      return;
    }
    // One entry counts once per path, however many reasons name it.
    const seen = new Set<string>();
    for (const r of reasons) {
      if (seen.has(r.path)) continue;
      seen.add(r.path);
      const g = this.#fold(this.#group(r.path, r.kind), e);
      if (r.kind === 'mapping_conflict') {
        addDistinct(g.fixedTypes, r.fixedType, Infinity);
        addDistinct(g.incomingTypes, r.incomingType, Infinity);
        addDistinct(g.samples, r.sample, MAX_SAMPLES);
      } else {
        addDistinct(g.rules, r.rule, MAX_SAMPLES);
      }
    }
  }

  groups(): DeadLetterGroup[] {
    return [...this.#groups.values()].sort((a, b) => {
      if ((a.path === null) !== (b.path === null)) return a.path === null ? 1 : -1;
      return b.count - a.count || String(a.path).localeCompare(String(b.path));
    });
  }

  #group(path: string | null, kind: DeadLetterGroup['kind']): DeadLetterGroup {
    const key = `${kind ?? ''}\u0000${path ?? ''}`;
    let g = this.#groups.get(key);
    if (g === undefined) {
      g = {
        path,
        kind,
        count: 0,
        degraded: 0,
        recordTypes: {},
        codes: {},
        fixedTypes: [],
        incomingTypes: [],
        rules: [],
        samples: [],
        firstSeen: Infinity,
        lastSeen: 0,
      };
      this.#groups.set(key, g);
    }
    return g;
  }

  #fold(g: DeadLetterGroup, e: DeadLetterPayload): DeadLetterGroup {
    g.count++;
    if (e.degraded === true) g.degraded++;
    g.recordTypes[e.recordType] = (g.recordTypes[e.recordType] ?? 0) + 1;
    g.codes[e.code] = (g.codes[e.code] ?? 0) + 1;
    g.firstSeen = Math.min(g.firstSeen, e.firstFailedAt);
    g.lastSeen = Math.max(g.lastSeen, e.lastFailedAt);
    return g;
  }
}

function addDistinct(list: string[], v: string, max: number): void {
  if (list.length < max && !list.includes(v)) list.push(v);
}

/** True when an entry names `path` in one of its reasons. */
export function hasPath(e: DeadLetterPayload, path: string): boolean {
  return (e.reasons ?? []).some((r) => r.path === path);
}
