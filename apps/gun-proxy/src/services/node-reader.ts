// Reads nodes for HTTP answers within a byte budget. A node is read in keyset pages of the store
// and the event loop gets a turn (setImmediate) every `yieldEveryRows` rows, so one large read
// cannot hold every other request (and /health) for seconds. Links `{ '#': soul }` are resolved
// while the budget allows; past it they stay links, as the legacy relay left deep links.
//
// Bytes are counted on the stored JSON text (key + value + punctuation), which is what the answer
// serialises to. Besides the answer budget, the rows read for children that turned out too big
// count against a work budget (twice the answer budget) so a node of 40 links to 40 huge nodes
// costs at most that much reading.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { GraphStore, RawRow } from '../gun/graph-store.js';

export interface ReadLimits {
  /** Bytes one answer may assemble. */
  maxBytes: number;
  /** Rows between event-loop turns. @defaultValue 2000 */
  yieldEveryRows?: number;
}

/** The top node alone is larger than the answer budget (the paged read serves it). */
export class AnswerTooLargeError extends Error {
  override name = 'AnswerTooLargeError';
  readonly code = 'GUNPROXY_ANSWER_TOO_LARGE';
}

type Plain = Record<string, unknown>;

const PAGE_ROWS = 1000;
const rowBytes = (r: RawRow): number => r.key.length + r.val.length + 4;
const isLink = (v: unknown): v is { '#': string } =>
  typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)['#'] === 'string' && Object.keys(v).length === 1;

/** One answer's reads: one budget, children read once. */
export class ReadSession {
  bytesLeft: number;
  #workLeft: number;
  #rowsSinceTurn = 0;
  readonly #yieldEvery: number;
  /** `${depth}:${soul}` → the resolved child and the bytes it cost (null: did not fit). */
  readonly #memo = new Map<string, { value: Plain; bytes: number } | null>();

  constructor(
    readonly store: GraphStore,
    limits: ReadLimits,
  ) {
    this.bytesLeft = limits.maxBytes;
    this.#workLeft = 2 * limits.maxBytes;
    this.#yieldEvery = limits.yieldEveryRows ?? 2000;
  }

  async #counted(n: number): Promise<void> {
    this.#rowsSinceTurn += n;
    if (this.#rowsSinceTurn < this.#yieldEvery) return;
    this.#rowsSinceTurn = 0;
    await nextTurn();
  }

  /** All non-null rows of `soul` while their bytes stay within `cap`; null when they do not. */
  async rows(soul: string, cap: number): Promise<{ rows: RawRow[]; bytes: number } | null> {
    const rows: RawRow[] = [];
    let bytes = 0;
    let after: string | null = null;
    for (;;) {
      const page = this.store.pageRaw(soul, after, PAGE_ROWS);
      for (const r of page) {
        bytes += rowBytes(r);
        rows.push(r);
      }
      this.#workLeft -= page.reduce((n, r) => n + rowBytes(r), 0);
      if (bytes > cap) return null;
      if (page.length < PAGE_ROWS) return { rows, bytes };
      after = page[page.length - 1]!.key;
      await this.#counted(page.length);
    }
  }

  /** Rows as a plain object (null-prototype), links resolved `depth` levels within the budget. */
  async plain(rows: readonly RawRow[], depth: number): Promise<Plain> {
    const out = Object.create(null) as Plain;
    let n = 0;
    for (const r of rows) {
      if (r.key === '_') continue;
      const v = JSON.parse(r.val) as unknown;
      if (v === null) continue;
      out[r.key] = isLink(v) && depth > 0 ? ((await this.child(v['#'], depth - 1)) ?? { '#': v['#'] }) : v;
      if (++n % 500 === 0) await this.#counted(500);
    }
    return out;
  }

  /** The linked node as a plain object, or undefined when it does not fit the budget (stays a link). */
  async child(soul: string, depth: number): Promise<Plain | undefined> {
    const memoKey = `${depth}:${soul}`;
    const memo = this.#memo.get(memoKey);
    if (memo === null) return undefined;
    if (memo) {
      if (memo.bytes > this.bytesLeft) return undefined;
      this.bytesLeft -= memo.bytes;
      return memo.value;
    }
    const cap = Math.min(this.bytesLeft, this.#workLeft);
    if (cap <= 0) return undefined;
    const got = await this.rows(soul, cap);
    if (!got) {
      this.#memo.set(memoKey, null);
      return undefined;
    }
    const before = this.bytesLeft;
    this.bytesLeft -= got.bytes;
    const value = await this.plain(got.rows, depth);
    // What this subtree cost (its own rows and the children resolved under it), charged again on reuse.
    this.#memo.set(memoKey, { value, bytes: before - this.bytesLeft });
    return value;
  }
}

/** Rows of a node already in memory (a peer's answer), in key order, without `_` and nulls. */
export function rowsOfNode(node: Record<string, unknown>): RawRow[] {
  return Object.keys(node)
    .filter((k) => k !== '_' && node[k] !== null && node[k] !== undefined)
    .sort()
    .map((k) => ({ key: k, val: JSON.stringify(node[k]) }));
}

/**
 * The legacy read of a node: every key, links resolved `depth` levels within the budget.
 * Undefined when the soul has no non-null keys; AnswerTooLargeError when the node alone is over budget.
 */
export async function readWhole(session: ReadSession, soul: string, depth = 3, inMemory?: Record<string, unknown>): Promise<Plain | undefined> {
  let rows: RawRow[];
  if (inMemory) {
    rows = rowsOfNode(inMemory);
    const bytes = rows.reduce((n, r) => n + rowBytes(r), 0);
    if (bytes > session.bytesLeft) throw new AnswerTooLargeError(`node ${soul} alone is larger than the answer budget`);
    session.bytesLeft -= bytes;
  } else {
    const got = await session.rows(soul, session.bytesLeft);
    if (!got) throw new AnswerTooLargeError(`node ${soul} alone is larger than the answer budget`);
    session.bytesLeft -= got.bytes;
    rows = got.rows;
  }
  if (rows.length === 0) return undefined;
  return session.plain(rows, depth);
}

export interface Page {
  data: Plain;
  next: string | null;
}

/**
 * One page of a node: up to `limit` keys > `after` in key order, links resolved one level within
 * the budget. `next` is the last key when more follow. `inMemory` pages a peer's answer instead.
 */
export async function readPage(session: ReadSession, soul: string, limit: number, after: string | null, inMemory?: Record<string, unknown>): Promise<Page> {
  const rows = inMemory
    ? rowsOfNode(inMemory)
        .filter((r) => after === null || r.key > after)
        .slice(0, limit + 1)
    : session.store.pageRaw(soul, after, limit + 1);
  let more = rows.length > limit;
  let page = more ? rows.slice(0, limit) : rows;
  // A page of big values ends early at the budget (at least one key, so paging always advances).
  let bytes = 0;
  let fit = 0;
  while (fit < page.length && (fit === 0 || bytes + rowBytes(page[fit]!) <= session.bytesLeft)) bytes += rowBytes(page[fit++]!);
  if (fit < page.length) {
    page = page.slice(0, fit);
    more = true;
  }
  session.bytesLeft -= bytes;
  const data = await session.plain(page, 1);
  return { data, next: more ? page[page.length - 1]!.key : null };
}
