// Reads a registry index of any size page by page, in bounded memory, from our gun-proxy (the
// paged `/get?soul=S&limit=N&after=K`) or a legacy relay (one unpaged answer, entries as links).
// Entries that come back as links `{ "#": "<index>/<soul>" }` are followed in bounded batches,
// so every entry gets its real timestamp and nodeId; an entry whose link could not be read is
// reported as a failure, never given a made-up version.
import { type GunNode, type RegistryIndexEntry, linkOf, mapBounded, registryEntryFromValue } from '@oip/records';
import { GunErrorCodes } from './errors.js';

/** One page of a registry index, links already followed. */
export interface RegistryIndexPage {
  /** Readable entries of this page, in the relay's key order. */
  entries: RegistryIndexEntry[];
  /** Entries of this page that were links and were read. */
  linksFollowed: number;
  /** Entries whose link could not be read (their timestamp and nodeId are unknown). */
  linkFailures: Array<{ soul: string; link: string; code: string }>;
  /** False when the relay ignored paging and sent the whole node (a legacy relay). */
  paged: boolean;
}

export interface RegistryPageOptions {
  /** @defaultValue 'oip:registry' */
  root?: string;
  /** Keys asked for per request, and entries handed out per page. 1..1000. @defaultValue 500 */
  pageSize?: number;
  /** Link reads in flight at once while following entry links. @defaultValue 8 */
  linkConcurrency?: number;
  signal?: AbortSignal;
}

/** What the pager needs from the client (keeps this file free of HTTP). */
export interface PageSource {
  getSoulPage(
    soul: string,
    q: { limit: number; after?: string; signal?: AbortSignal },
  ): Promise<{ node: GunNode; next: string | null; paged: boolean } | null>;
  getSoul(soul: string, opts: { signal?: AbortSignal }): Promise<GunNode | null>;
}

const codeOf = (err: unknown): string =>
  String((err as { code?: unknown } | null)?.code ?? (err as Error)?.name ?? 'ERROR');

/** Turns `[key, value]` pairs of one page into entries, following links `concurrency` at a time. */
async function resolvePage(
  src: PageSource,
  pairs: ReadonlyArray<[string, unknown]>,
  paged: boolean,
  concurrency: number,
  signal?: AbortSignal,
): Promise<RegistryIndexPage> {
  const page: RegistryIndexPage = { entries: [], linksFollowed: 0, linkFailures: [], paged };
  const links: Array<{ key: string; link: string; at: number }> = [];
  const slots: Array<RegistryIndexEntry | null> = [];
  for (const [key, raw] of pairs) {
    if (key.startsWith('_') || key.startsWith('#') || raw === null || raw === undefined) continue;
    const link = linkOf(raw);
    if (link !== null) {
      links.push({ key, link, at: slots.length });
      slots.push(null);
    } else slots.push(registryEntryFromValue(key, raw));
  }
  const read = await mapBounded(links, concurrency, async ({ link }) => {
    try {
      const node = await src.getSoul(link, signal ? { signal } : {});
      return node ? { node } : { code: GunErrorCodes.NOT_FOUND };
    } catch (err) {
      if ((err as { code?: unknown }).code === GunErrorCodes.CLOSED || signal?.aborted) throw err;
      return { code: codeOf(err) };
    }
  });
  links.forEach((l, i) => {
    const r = read[i]!;
    if ('node' in r) {
      slots[l.at] = registryEntryFromValue(l.key, r.node);
      page.linksFollowed++;
    } else page.linkFailures.push({ soul: l.key, link: l.link, code: r.code });
  });
  for (const s of slots) if (s) page.entries.push(s);
  return page;
}

/**
 * Pages of `oip:registry:index:<recordType>` (`indexSoul`). Against a relay that pages, one
 * request per page (`next` carries the cursor); against one that does not, the single answer is
 * cut into pages of `pageSize` so links are followed and entries handed out a page at a time.
 * A page read that fails throws (pages already yielded stay handled); a link that fails does not.
 */
export async function* registryIndexPages(
  src: PageSource,
  indexSoul: string,
  opts: RegistryPageOptions = {},
): AsyncGenerator<RegistryIndexPage, void, undefined> {
  const pageSize = Math.min(1000, Math.max(1, Math.trunc(opts.pageSize ?? 500)));
  const concurrency = Math.max(1, Math.trunc(opts.linkConcurrency ?? 8));
  const signal = opts.signal;
  let after: string | undefined;
  for (;;) {
    const res = await src.getSoulPage(indexSoul, {
      limit: pageSize,
      ...(after === undefined ? {} : { after }),
      ...(signal ? { signal } : {}),
    });
    if (!res) return;
    const pairs = Object.entries(res.node);
    if (!res.paged) {
      // A legacy answer: the whole node is already here; hand it out in slices.
      for (let i = 0; i < pairs.length; i += pageSize)
        yield await resolvePage(src, pairs.slice(i, i + pageSize), false, concurrency, signal);
      return;
    }
    if (pairs.length > 0) yield await resolvePage(src, pairs, true, concurrency, signal);
    // A cursor that does not move would loop for ever: stop on it.
    if (res.next === null || res.next === after || pairs.length === 0) return;
    after = res.next;
  }
}
