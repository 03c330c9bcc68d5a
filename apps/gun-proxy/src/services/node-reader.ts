// Reads nodes for HTTP answers within a byte budget. A node is read in keyset pages of the store
// and the event loop gets a turn (setImmediate) every `yieldEveryRows` rows, so one large read
// cannot hold every other request (and /health) for seconds. Links `{ '#': soul }` are resolved
// while the budget allows; past it they stay links, as the legacy relay left deep links.
//
// The answer is assembled as JSON text from the stored JSON text of each value (no parse and
// re-stringify of every value: a 60,000-key node would block the loop for hundreds of ms in
// JSON.stringify alone), so bytes counted on the stored text (key + value + punctuation) are
// the bytes sent. Besides the answer budget, the rows read for children that turned out too big
// count against a work budget (twice the answer budget) so a node of 40 links to 40 huge nodes
// costs at most that much reading.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { GraphStore, RawRow } from '../gun/graph-store.js';
import { AnswerTooLargeError } from '../errors.js';

export interface ReadLimits {
  /** Bytes one answer may assemble. */
  maxBytes: number;
  /** Rows between event-loop turns. @defaultValue 2000 */
  yieldEveryRows?: number;
}

const PAGE_ROWS = 1000;
const rowBytes = (r: RawRow): number => r.key.length + r.val.length + 4;

/** The soul a stored value links to, or null. Only values stored as `{"#":…}` are parsed. */
function linkOf(val: string): string | null {
  if (!val.startsWith('{"#":')) return null;
  const v = JSON.parse(val) as Record<string, unknown>;
  return typeof v['#'] === 'string' && Object.keys(v).length === 1 ? v['#'] : null;
}

/** One answer's reads: one budget, children read once. */
export class ReadSession {
  bytesLeft: number;
  #workLeft: number;
  #rowsSinceTurn = 0;
  readonly #yieldEvery: number;
  /** `${depth}:${soul}` → the resolved child's JSON text and the bytes it cost (null: did not fit). */
  readonly #memo = new Map<string, { text: string; bytes: number } | null>();

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
      let pageBytes = 0;
      for (const r of page) {
        pageBytes += rowBytes(r);
        rows.push(r);
      }
      bytes += pageBytes;
      this.#workLeft -= pageBytes;
      if (bytes > cap) return null;
      if (page.length < PAGE_ROWS) return { rows, bytes };
      after = page[page.length - 1]!.key;
      await this.#counted(page.length);
    }
  }

  /** Rows as a JSON object text, links resolved `depth` levels within the budget. */
  async text(rows: readonly RawRow[], depth: number): Promise<string> {
    const parts: string[] = [];
    let n = 0;
    for (const r of rows) {
      if (r.key === '_' || r.val === 'null') continue;
      const link = depth > 0 ? linkOf(r.val) : null;
      const val = link === null ? r.val : ((await this.child(link, depth - 1)) ?? r.val);
      parts.push(`${JSON.stringify(r.key)}:${val}`);
      if (++n % 1000 === 0) await this.#counted(1000);
    }
    return `{${parts.join(',')}}`;
  }

  /** The linked node as JSON text, or undefined when it does not fit the budget (stays a link). */
  async child(soul: string, depth: number): Promise<string | undefined> {
    const memoKey = `${depth}:${soul}`;
    const memo = this.#memo.get(memoKey);
    if (memo === null) return undefined;
    if (memo) {
      if (memo.bytes > this.bytesLeft) return undefined;
      this.bytesLeft -= memo.bytes;
      return memo.text;
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
    // A linked node without keys was an empty object when written.
    const text = await this.text(got.rows, depth);
    // What this subtree cost (its own rows and the children resolved under it), charged again on reuse.
    this.#memo.set(memoKey, { text, bytes: before - this.bytesLeft });
    return text;
  }
}

/** Rows of a node already in memory (a peer's answer), in key order, without `_` and nulls. */
export function rowsOfNode(node: Record<string, unknown>): RawRow[] {
  return Object.keys(node)
    .filter((k) => k !== '_' && node[k] !== null && node[k] !== undefined)
    .sort()
    .map((k) => ({ key: k, val: JSON.stringify(node[k]) }));
}

export interface WholeNode {
  /** The node as JSON object text. */
  text: string;
  /** Its own keys (to recognise a record without parsing). */
  keys: string[];
}

/**
 * The legacy read of a node: every key, links resolved `depth` levels within the budget.
 * Undefined when the soul has no non-null keys; GUNPROXY_ANSWER_TOO_LARGE when the node alone is over
 * budget (the paged read serves it).
 */
export async function readWhole(
  session: ReadSession,
  soul: string,
  depth = 3,
  inMemory?: Record<string, unknown>,
): Promise<WholeNode | undefined> {
  let rows: RawRow[];
  if (inMemory) {
    rows = rowsOfNode(inMemory);
    const bytes = rows.reduce((n, r) => n + rowBytes(r), 0);
    if (bytes > session.bytesLeft) throw new AnswerTooLargeError(soul);
    session.bytesLeft -= bytes;
  } else {
    const got = await session.rows(soul, session.bytesLeft);
    if (!got) throw new AnswerTooLargeError(soul);
    session.bytesLeft -= got.bytes;
    rows = got.rows;
  }
  if (rows.length === 0) return undefined;
  return { text: await session.text(rows, depth), keys: rows.map((r) => r.key) };
}

export interface Page {
  /** The page's keys and values as JSON object text. */
  text: string;
  /** Keys on the page. */
  count: number;
  next: string | null;
}

/**
 * One page of a node: up to `limit` keys > `after` in key order, links resolved one level within
 * the budget. `next` is the last key when more follow. `inMemory` pages a peer's answer instead.
 */
export async function readPage(
  session: ReadSession,
  soul: string,
  limit: number,
  after: string | null,
  inMemory?: Record<string, unknown>,
): Promise<Page> {
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
  while (fit < page.length && (fit === 0 || bytes + rowBytes(page[fit]!) <= session.bytesLeft))
    bytes += rowBytes(page[fit++]!);
  if (fit < page.length) {
    page = page.slice(0, fit);
    more = true;
  }
  session.bytesLeft -= bytes;
  const text = await session.text(page, 1);
  return { text, count: page.length, next: more ? page[page.length - 1]!.key : null };
}
