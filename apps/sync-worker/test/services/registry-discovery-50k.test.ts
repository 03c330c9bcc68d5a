// Issue 10 "Registry indexes over 2,000 entries": a 50,000-entry index is discovered completely,
// each entry at its own timestamp, our own node's entries skipped, against a real gun-proxy (its
// paged /get) and against the fake relay in legacy mode (one unpaged answer, every entry a link). Correctness only: the
// memory figure is bench/src/benchmarks/registry-discovery.ts.
import { setImmediate } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGunProxy, type StartedGunProxy } from '@oip/gun-proxy/testing';
import { until } from '@oip/test-kit';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { runDiscovery, type DiscoveryReport } from '../../src/services/discovery.js';
import { discoveryFixture, type DiscoveryFixture } from '../helpers/discovery-deps.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { OWN_NODE, entrySpec, graphRows, writeNestedIndex } from '../helpers/registry-fixture.js';

const N = 50_000;
const OWN = N / 10;

let env: TestEnv;
let fx: DiscoveryFixture | undefined;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(async () => {
  await fx?.close();
  fx = undefined;
  await env.cleanup();
});

/** Waits until the proxy answers without under-pressure 503s; throws after 20 s. */
async function untilServing(url: string): Promise<void> {
  await until(
    async () => {
      const r = await fetch(`${url}/get?soul=${encodeURIComponent('oip:deleted:records:index')}`);
      await r.arrayBuffer();
      return r.status;
    },
    {
      what: 'gun-proxy serving without under-pressure 503s',
      ok: (status) => status !== 503,
      timeoutMs: 20_000,
      intervalMs: 200,
    },
  );
}

async function expectComplete(report: DiscoveryReport, f: DiscoveryFixture): Promise<void> {
  expect(report.errors).toEqual([]);
  expect(report).toMatchObject({
    entries: N - OWN,
    queued: N - OWN,
    ownSkipped: OWN,
    linkReadsFailed: 0,
    deduplicated: 0,
  });
  expect(report.indexes).toHaveLength(1);
  expect(report.indexes[0]!.pages).toBeGreaterThanOrEqual(N / 1000);
  expect(await env.redis.hlen(f.state.keys.state)).toBe(N - OWN);
  // every queued version is the entry's own timestamp: none at 0
  const values = await env.redis.hvals(f.state.keys.state);
  expect(values.filter((v) => !/^queued\|1700000\d{6}\|0$/.test(v))).toEqual([]);
  for (const i of [1, 2, 1999, 2001, 2003, 25_555, N - 1]) {
    expect(await f.state.get(entrySpec(i).did)).toEqual({
      state: 'queued',
      version: String(entrySpec(i).timestamp),
      replay: 0,
    });
  }
  for (const i of [0, 2010, N - 10]) expect(await f.state.get(entrySpec(i).did)).toBeNull();
  expect(await f.queue.count()).toBe(N - OWN);
}

describe('discovery of a 50,000-entry registry index', () => {
  let proxy: StartedGunProxy | undefined;
  let relay: FakeRelay | undefined;
  afterEach(async () => {
    await proxy?.close();
    await relay?.close();
    proxy = relay = undefined;
  });

  it('is complete against a real gun-proxy', async () => {
    proxy = await startGunProxy({ getMissWaitMs: 0 });
    const rows = graphRows(N);
    // Small transactions with a turn between them: one 200,000-row write stalls the event loop
    // long enough for gun-proxy's under-pressure guard to answer 503 for seconds after.
    for (let i = 0; i < rows.length; i += 2_000) {
      proxy.graph.write(rows.slice(i, i + 2_000));
      await setImmediate();
    }
    await untilServing(proxy.url);
    fx = discoveryFixture(env, proxy.url, { nodeId: OWN_NODE });
    const report = await runDiscovery(fx.deps);
    await expectComplete(report, fx);
    expect(report.indexes[0]).toMatchObject({ paged: true });
    // resolved in place by the relay or followed by us: every entry read once either way
    expect(report.linksFollowed).toBeLessThan(N);
  }, 180_000);

  it('is complete against the fake relay in legacy mode (every entry answered as a link)', async () => {
    relay = await startFakeRelay({ mode: 'legacy', maxSouls: N + 10, missDelayMs: 0 });
    writeNestedIndex(relay.store, N);
    fx = discoveryFixture(env, relay.url, { nodeId: OWN_NODE });
    const report = await runDiscovery(fx.deps);
    await expectComplete(report, fx);
    expect(report.linksFollowed).toBe(N);
    expect(report.indexes[0]).toMatchObject({ paged: false, pages: N / 500 });
  }, 180_000);
});
