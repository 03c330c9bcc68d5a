// The names in a directory in sorted order (UTF-16 code unit order, as `<` compares strings), read
// in passes of at most `batch` names: each pass streams the whole directory and keeps the smallest
// `batch` names after the last one handed out, in a bounded max-heap. Memory stays at one batch
// whatever the directory holds (a legacy MEDIA_DIR may hold millions of entries), and "every name
// after X" is exactly what a resumed run needs. Names created during the walk before the current
// position are not seen (the next run sees them).
import { opendir } from 'node:fs/promises';

/** Names per pass. @defaultValue 20000 */
export const DEFAULT_NAME_BATCH = 20_000;

/** A max-heap of strings bounded by its capacity: it keeps the smallest names offered. */
class SmallestNames {
  readonly #heap: string[] = [];
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  offer(name: string): void {
    const h = this.#heap;
    if (h.length < this.#capacity) {
      h.push(name);
      this.#up(h.length - 1);
    } else if (name < h[0]!) {
      h[0] = name;
      this.#down(0);
    }
  }

  sorted(): string[] {
    return this.#heap.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  #up(i: number): void {
    const h = this.#heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]! >= h[i]!) return;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  #down(i: number): void {
    const h = this.#heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < h.length && h[l]! > h[top]!) top = l;
      if (r < h.length && h[r]! > h[top]!) top = r;
      if (top === i) return;
      [h[top], h[i]] = [h[i]!, h[top]!];
      i = top;
    }
  }
}

/** The smallest `batch` names of `dir` greater than `after` (all names when `after` is null), sorted. */
export async function namesAfter(dir: string, after: string | null, batch: number): Promise<string[]> {
  const keep = new SmallestNames(batch);
  const handle = await opendir(dir, { bufferSize: 256 });
  for await (const entry of handle) {
    if (after === null || entry.name > after) keep.offer(entry.name);
  }
  return keep.sorted();
}

/** Every name of `dir` after `after`, in sorted order, read `batch` at a time. */
export async function* sortedNames(
  dir: string,
  opts: { after?: string | null; batch?: number } = {},
): AsyncGenerator<string> {
  const batch = opts.batch ?? DEFAULT_NAME_BATCH;
  let after = opts.after ?? null;
  for (;;) {
    const names = await namesAfter(dir, after, batch);
    yield* names;
    if (names.length < batch) return;
    after = names[names.length - 1]!;
  }
}

/** How many names `dir` holds (streamed, nothing kept). */
export async function countNames(dir: string): Promise<number> {
  let n = 0;
  const handle = await opendir(dir, { bufferSize: 256 });
  for await (const _ of handle) n++;
  return n;
}
