// Registry indexes of any size: paged reads where the relay pages, the single legacy answer cut
// into pages where it does not, and entry links followed so each entry has its real timestamp.
import { afterEach, describe, expect, it } from 'vitest';
import { registryIndexSoul } from '@oip/records';
import { GunErrorCodes, type RegistryIndexPage } from '../src/index.js';
import { clientFor, useFakeRelay } from './helpers.js';
import { startPagedRelay, type PagedRelay } from './paged-relay.js';

const INDEX = registryIndexSoul('image');
const soulOf = (i: number) => `0123456789ab:img-${String(i).padStart(6, '0')}`;
const tsOf = (i: number) => 1_700_000_000_000 + i;

async function collect(pages: AsyncIterable<RegistryIndexPage>): Promise<RegistryIndexPage[]> {
  const out: RegistryIndexPage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

describe('registryIndexPages against a legacy relay (no paging, entries as links)', () => {
  const fx = useFakeRelay((relay) => {
    const index: Record<string, unknown> = {};
    for (let i = 0; i < 2_600; i++) {
      const child = `${INDEX}/${soulOf(i)}`;
      relay.store.put(child, {
        soul: soulOf(i),
        nodeId: i % 10 === 0 ? 'ffffffffffffffff' : 'aaaaaaaaaaaaaaaa',
        timestamp: tsOf(i),
      });
      index[soulOf(i)] = { '#': child };
    }
    index['0123456789ab:dangling'] = { '#': `${INDEX}/0123456789ab:dangling` };
    index['0123456789ab:inline'] = { soul: '0123456789ab:inline', nodeId: 'aaaaaaaaaaaaaaaa', timestamp: 42 };
    relay.store.put(INDEX, index);
  });

  it('follows every link in pages of pageSize, so each entry has its timestamp and nodeId', async () => {
    const client = fx.client({ retry: { attempts: 1 } });
    const pages = await collect(client.registryIndexPages('image', { pageSize: 500, linkConcurrency: 4 }));
    expect(pages.length).toBe(6); // 2,602 keys in slices of 500
    expect(pages.every((p) => p.paged === false && p.entries.length + p.linkFailures.length <= 500)).toBe(true);
    const entries = pages.flatMap((p) => p.entries);
    expect(entries).toHaveLength(2_601);
    const bySoul = new Map(entries.map((e) => [e.soul, e]));
    expect(bySoul.get(soulOf(1234))).toEqual({ soul: soulOf(1234), nodeId: 'aaaaaaaaaaaaaaaa', timestamp: tsOf(1234) });
    expect(bySoul.get(soulOf(20))?.nodeId).toBe('ffffffffffffffff');
    expect(bySoul.get('0123456789ab:inline')?.timestamp).toBe(42);
    expect(entries.every((e) => typeof e.timestamp === 'number')).toBe(true);
    expect(pages.reduce((n, p) => n + p.linksFollowed, 0)).toBe(2_600);
    expect(pages.flatMap((p) => p.linkFailures)).toEqual([
      { soul: '0123456789ab:dangling', link: `${INDEX}/0123456789ab:dangling`, code: GunErrorCodes.NOT_FOUND },
    ]);
    // one index read, one read per link (the dangling one included)
    expect(fx.relay.countByPath('/get')).toBe(1 + 2_601);
  });

  it('reports a link that fails with its code instead of an entry without a version', async () => {
    fx.relay.addFault({ path: '/get', soul: `${INDEX}/${soulOf(7)}`, status: 503, times: 5 });
    const client = fx.client({ retry: { attempts: 1 } });
    const pages = await collect(client.registryIndexPages('image', { pageSize: 1000 }));
    const failures = pages.flatMap((p) => p.linkFailures);
    expect(failures.map((f) => [f.soul, f.code])).toEqual([
      [soulOf(7), GunErrorCodes.UPSTREAM],
      ['0123456789ab:dangling', GunErrorCodes.NOT_FOUND],
    ]);
    expect(pages.flatMap((p) => p.entries).some((e) => e.soul === soulOf(7))).toBe(false);
  });

  it('yields nothing for an index the relay does not have', async () => {
    const client = fx.client();
    expect(await collect(client.registryIndexPages('recipe'))).toEqual([]);
  });
});

describe('registryIndexPages against a relay that pages', () => {
  let relay: PagedRelay | undefined;
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });

  it('reads page by page with the cursor and follows only the links left past the budget', async () => {
    relay = await startPagedRelay({ resolveLinks: 100 });
    const index: Record<string, unknown> = {};
    for (let i = 0; i < 2_300; i++) {
      const child = `${INDEX}/${soulOf(i)}`;
      relay.nodes.set(child, { soul: soulOf(i), nodeId: 'aaaaaaaaaaaaaaaa', timestamp: tsOf(i) });
      index[soulOf(i)] = { '#': child };
    }
    index['0123456789ab:deleted'] = null;
    relay.nodes.set(INDEX, index);
    const client = clientFor(relay.url, { retry: { attempts: 1 } });
    try {
      const pages = await collect(client.registryIndexPages('image', { pageSize: 500 }));
      expect(pages.map((p) => p.entries.length)).toEqual([500, 500, 500, 500, 300]);
      expect(pages.every((p) => p.paged)).toBe(true);
      expect(relay.counts.page).toBe(5);
      expect(relay.counts.get).toBe(0);
      // 100 resolved in place per page, the rest followed
      expect(pages.map((p) => p.linksFollowed)).toEqual([400, 400, 400, 400, 200]);
      expect(relay.counts.link).toBe(1_800);
      const entries = pages.flatMap((p) => p.entries);
      expect(new Set(entries.map((e) => e.soul)).size).toBe(2_300);
      expect(entries.every((e, i) => e.timestamp === tsOf(i))).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('rejects a page limit outside 1..1000 before any request', async () => {
    relay = await startPagedRelay();
    const client = clientFor(relay.url);
    try {
      await expect(client.getSoulPage(INDEX, { limit: 1001 })).rejects.toMatchObject({
        code: GunErrorCodes.INVALID_ARGUMENT,
      });
      expect(relay.counts.page + relay.counts.get).toBe(0);
    } finally {
      await client.close();
    }
  });
});
