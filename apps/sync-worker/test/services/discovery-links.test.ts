// Issue 11 through a relay that sends registry entries as links (the legacy layout): real
// versions, own-node entries skipped, updates picked up, unreadable links retried rather than
// queued at version 0, records that 404 once looked at again, and GUN_PEERS bases resolved.
import { describe, expect, it } from 'vitest';
import { GunErrorCodes } from '@oip/gun-client';
import { didFromSoul, registryIndexSoul } from '@oip/records';
import { PEER_UNRESOLVED } from '../../src/services/peer-relays.js';
import { invariantHolds } from '@oip/sync-state';
import { legacyRecord } from '@oip/test-kit';
import { soulOf } from '../helpers/records.js';
import { useWorkerRun } from '../helpers/worker-run.js';

const OWN = 'bbbbbbbbbbbbbbbb';
const INDEX = registryIndexSoul('workout');
const T = 1_730_000_000_000;

const run = useWorkerRun({ config: { nodeId: OWN } });
const start = (overrides: Record<string, unknown> = {}) => run.start(overrides);

/** Registers `localId` the legacy way: the index holds a link, the entry is its own node. */
function register(localId: string, timestamp: number, nodeId = 'aaaaaaaaaaaaaaaa'): string {
  const soul = soulOf(localId);
  run.relay.store.put(`${INDEX}/${soul}`, { soul, nodeId, timestamp });
  run.relay.store.put(INDEX, { [soul]: { '#': `${INDEX}/${soul}` } });
  return soul;
}

function publish(localId: string, timestamp: number, nodeId?: string, name?: string): string {
  const r = legacyRecord(localId);
  if (name) (r.data.basic as Record<string, unknown>).name = name;
  run.relay.store.put(soulOf(localId), r);
  return register(localId, timestamp, nodeId);
}

describe('discovery through registry entries behind links', () => {
  it('counts and skips entries whose soul no relay would serve, instead of fetching them', async () => {
    publish('ok', T);
    const long = `aaaaaaaaaaaa:${'x'.repeat(600)}`;
    const ctrl = 'aaaaaaaaaaaa:bad\u0007soul';
    for (const soul of [long, ctrl])
      run.relay.store.put(INDEX, { [soul]: { soul, nodeId: 'aaaaaaaaaaaaaaaa', timestamp: T } });
    const w = await start();
    const report = await w.discoverNow(['workout']);
    expect(report.indexes[0]).toMatchObject({ entries: 1, invalidSouls: 2 });
    expect(report).toMatchObject({ queued: 1 });
    expect(run.relay.countBySoul(long)).toBe(0);
  });

  it('gives each entry its real version, skips our own, and picks up an update on the next pass', async () => {
    publish('own', T, OWN);
    for (let i = 1; i <= 5; i++) publish(`w${i}`, T + i);
    const w = await start();

    const first = await w.discoverNow(['workout']);
    expect(first).toMatchObject({
      entries: 5,
      queued: 5,
      ownSkipped: 1,
      linksFollowed: 6,
      linkReadsFailed: 0,
      errors: [],
    });
    expect(first.indexes).toEqual([
      expect.objectContaining({
        relay: run.relay.url,
        recordType: 'workout',
        entries: 5,
        linksFollowed: 6,
        linkReadsFailed: 0,
      }),
    ]);
    expect(await w.waitIdle(20_000)).toMatchObject({ indexed: 5, dead: 0 });
    expect(await w.state.get(didFromSoul(soulOf('w3')))).toMatchObject({ state: 'indexed', version: String(T + 3) });
    expect(await w.store.get(didFromSoul(soulOf('own')))).toBeNull();

    publish('w3', T + 1000, undefined, 'Workout w3, second edition');
    const second = await w.discoverNow(['workout']);
    expect(second).toMatchObject({ entries: 5, queued: 1, deduplicated: 4, ownSkipped: 1 });
    const c = await w.waitIdle(20_000);
    expect(c).toMatchObject({ indexed: 6, inflight: 0 });
    expect(invariantHolds(c)).toBe(true);
    expect(await w.state.get(didFromSoul(soulOf('w3')))).toMatchObject({ state: 'indexed', version: String(T + 1000) });
    const stored = await w.store.get(didFromSoul(soulOf('w3')));
    expect((stored?.data as { basic: { name: string } }).basic.name).toBe('Workout w3, second edition');
  });

  it('reports an entry whose link fails and queues it at its real version on the next pass', async () => {
    publish('ok', T + 1);
    const flaky = publish('flaky', T + 2);
    run.relay.addFault({ path: '/get', soul: `${INDEX}/${flaky}`, status: 503, times: 1 });
    const w = await start();

    const first = await w.discoverNow(['workout']);
    expect(first).toMatchObject({ entries: 1, queued: 1, linksFollowed: 1, linkReadsFailed: 1 });
    expect(first.errors).toEqual([
      { relay: run.relay.url, what: 'links:workout', code: GunErrorCodes.UPSTREAM, count: 1 },
    ]);
    expect(await w.state.get(didFromSoul(flaky))).toBeNull();

    const second = await w.discoverNow(['workout']);
    expect(second).toMatchObject({ queued: 1, deduplicated: 1, linkReadsFailed: 0, errors: [] });
    expect(await w.state.get(didFromSoul(flaky))).toMatchObject({ version: String(T + 2) });
    expect(await w.waitIdle(20_000)).toMatchObject({ indexed: 2 });
  });

  it('looks again at a record that 404ed once and indexes it on a later pass', async () => {
    const soul = register('late', T + 7); // registered before the record reached this relay
    const w = await start({ notFoundBackoffMs: 1, notFoundRelooks: 3 });
    await w.discoverNow(['workout']);
    expect(await w.waitIdle(20_000)).toMatchObject({ gone: 1, goneByReason: { not_found: 1 } });

    run.relay.store.put(soul, legacyRecord('late'));
    await new Promise((r) => setTimeout(r, 5));
    const second = await w.discoverNow(['workout']);
    expect(second).toMatchObject({ relooked: 1, queued: 0 });
    const c = await w.waitIdle(20_000);
    expect(c).toMatchObject({ indexed: 1, gone: 1, relooked: 1, inflight: 0 });
    expect(invariantHolds(c)).toBe(true);
    expect(await w.store.get(didFromSoul(soul))).not.toBeNull();

    const third = await w.discoverNow(['workout']);
    expect(third).toMatchObject({ relooked: 0, queued: 0, deduplicated: 1 });
  });
});

describe('GUN_PEERS relays', () => {
  it('resolves a ws peer to the base that answers, and reports a peer with neither', async () => {
    publish('p1', T + 1);
    const port = new URL(run.relay.url).port;
    const live = `http://127.0.0.1:${port}/gun-relay`;
    const dead = 'http://127.0.0.1:1/gun-relay';
    const w = await start({
      relays: [live, dead],
      relayPeers: { [live]: `ws://127.0.0.1:${port}/gun`, [dead]: 'ws://127.0.0.1:1/gun' },
    });

    const report = await w.discoverNow(['workout']);
    expect(report).toMatchObject({ queued: 1 });
    expect(report.errors).toEqual([{ relay: dead, what: 'peer', code: PEER_UNRESOLVED }]);
    expect(report.peers.map((p) => [p.relay, p.base])).toEqual([
      [live, `http://127.0.0.1:${port}`],
      [dead, null],
    ]);
    expect(
      w
        .peerStatus()
        .find((p) => p.relay === dead)
        ?.tried.map((t) => t.code),
    ).toEqual([GunErrorCodes.CONNECTION, GunErrorCodes.CONNECTION]);
    // the record job uses the resolved base too
    expect(await w.waitIdle(20_000)).toMatchObject({ indexed: 1 });
    // resolved once: the next pass does not probe the live peer again
    run.relay.resetCounts();
    await w.discoverNow(['workout']);
    expect(run.relay.log().filter((l) => l.path.startsWith('/gun-relay') || l.soul === undefined)).toEqual([]);
  });
});
