// Seed 002: a resolveDepth=2 workout with 60 drefs, 20 of them missing, fetched twice.
// Legacy: every 404 retried twice and nothing cached → 61 lookups × 3 = 183 requests per pass.
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { GunClient } from '@oip/gun-client';
import { isDref, soulFromDid } from '@oip/records';
import { request } from 'undici';
import { type Benchmark, printResult, printTable } from '../benchmark.js';

const PUB = '647f79c2a338';
const EXERCISES = 10;
const LEAVES_PER_EXERCISE = 5;
const MISSING = 20;

/** Seeds the workout, 10 exercises and 50 leaves (equipment/muscles), 20 leaves absent. */
function seed(relay: FakeRelay): string {
  const creator = { publicKey: 'pk', didAddress: 'did:arweave:creator' };
  let missingLeft = MISSING;
  const exerciseDids: string[] = [];
  for (let e = 0; e < EXERCISES; e++) {
    const leaves: string[] = [];
    for (let l = 0; l < LEAVES_PER_EXERCISE; l++) {
      const soul = `${PUB}:leaf-${e}-${l}`;
      leaves.push(`did:gun:${soul}`);
      // Two leaves of each exercise are missing (20 in all).
      if (l < 2 && missingLeft-- > 0) continue;
      relay.store.put(soul, {
        data: { basic: { name: `leaf ${e}.${l}` } },
        oip: { ver: '0.8.0', recordType: 'equipment', creator },
      });
    }
    const soul = `${PUB}:exercise-${e}`;
    exerciseDids.push(`did:gun:${soul}`);
    relay.store.put(soul, {
      data: { basic: { name: `exercise ${e}` }, exercise: { equipmentRequired: leaves } },
      oip: { ver: '0.8.0', recordType: 'exercise', creator },
    });
  }
  const root = `${PUB}:morning-push`;
  relay.store.put(root, {
    data: { basic: { name: 'Morning Push' }, workout: { exercise: exerciseDids } },
    oip: { ver: '0.8.0', recordType: 'workout', creator },
  });
  return root;
}

type Fetch = (soul: string) => Promise<Record<string, unknown> | null>;

/** Resolves drefs in data.<category>.<field> down to `depth`, all lookups of a level in parallel. */
async function resolve(node: Record<string, unknown> | null, depth: number, fetch: Fetch): Promise<number> {
  if (!node || depth === 0) return 0;
  const data = node.data as Record<string, Record<string, unknown>> | undefined;
  const drefs: string[] = [];
  for (const cat of Object.values(data ?? {})) {
    for (const v of Object.values(cat ?? {})) {
      for (const item of Array.isArray(v) ? v : [v]) if (isDref(item)) drefs.push(item);
    }
  }
  const children = await Promise.all(drefs.map((d) => fetch(soulFromDid(d) ?? d)));
  const nested = await Promise.all(children.map((c) => resolve(c, depth - 1, fetch)));
  return drefs.length + nested.reduce((a, b) => a + b, 0);
}

/** The legacy helper's behaviour: no cache, a 404 retried twice with 200/400 ms backoff. */
function legacyFetch(baseUrl: string): Fetch {
  return async (soul) => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const res = await request(`${baseUrl}/get?soul=${encodeURIComponent(soul)}`);
      const text = await res.body.text();
      if (res.statusCode === 200) return (JSON.parse(text) as { data: Record<string, unknown> }).data;
      if (attempt < 3) await new Promise((r) => setTimeout(r, 2 ** attempt * 100));
    }
    return null;
  };
}

export const benchmark: Benchmark = {
  name: 'gun-client-404',
  description: 'requests per resolveDepth=2 workout (60 drefs, 20 missing), two passes, vs legacy (seed 002)',
  async run() {
    const relay = await startFakeRelay();
    const client = new GunClient({ baseUrl: relay.url });
    try {
      const rootSoul = seed(relay);
      const ours: Fetch = (soul) => client.getRecord(soul) as Promise<Record<string, unknown> | null>;
      const passes: number[] = [];
      let drefs = 0;
      for (let pass = 0; pass < 2; pass++) {
        relay.resetCounts();
        const root = await ours(rootSoul);
        drefs = await resolve(root, 2, ours);
        passes.push(relay.requestCount);
      }
      const emulated: number[] = [];
      for (let pass = 0; pass < 2; pass++) {
        relay.resetCounts();
        const fetch = legacyFetch(relay.url);
        await resolve(await fetch(rootSoul), 2, fetch);
        emulated.push(relay.requestCount);
      }
      const [first = 0, second = 0] = passes;
      printTable(
        ['client', 'drefs', 'pass 1 requests', 'pass 2 requests'],
        [
          ['legacy (seed 002, all 61 lookups retried)', 60, 183, 183],
          ['legacy behaviour emulated here (404 ×3, no cache)', drefs, emulated[0] ?? 0, emulated[1] ?? 0],
          ['@oip/gun-client', drefs, first, second],
        ],
      );
      const s = client.stats();
      console.log(`negative cache: size=${s.negativeCache?.size} hits=${s.negativeCache?.hits} retries=${s.retries}`);
      printResult(
        'gun-client-404',
        { pass1: first, pass2: second, legacy: 183, emulated_legacy_pass1: emulated[0] ?? 0 },
        first <= 61 && second <= 41,
      );
    } finally {
      await client.close();
      await relay.close();
    }
  },
};
