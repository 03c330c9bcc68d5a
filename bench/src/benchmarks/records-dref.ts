// Issue 12 / seed 002: a workout with 60 exercise drefs (each exercise with one equipment dref)
// at resolveDepth=2, end to end through HTTP; all indexed, then 20 exercises deleted from the
// store (on the relay, and absent from it too). Our store queries and relay requests per call
// (from x-oip-resolve and the relay's own count) beside the legacy way, emulated in the same run
// on the same store and relay: one store lookup per dref, recursively, and every miss asked of
// the relay three times (the 404 retry bug). Then p50/p99 of resolveDepth=2 beside 0.
import { isDref, soulFromDid } from '@oip/records';
import type { OipRecord, RecordStore } from '@oip/record-store';
import { request } from 'undici';
import { type Benchmark, numberFlag, printResult, printTable } from '../benchmark.js';
import { type ApiServer, indexAll, percentile, startApiServer } from '../records/api-server.js';

const PUB = '647f79c2a338';
const EXERCISES = 60;
const MISSING = 20;

function rec(soul: string, recordType: string, fields: Record<string, unknown>, name: string): OipRecord {
  const did = `did:gun:${soul}`;
  return {
    data: {
      basic: {
        name,
        description: `${recordType} ${name}`,
        date: 1_730_505_600,
        language: 'en',
        tagItems: [recordType],
      },
      [recordType]: fields,
    },
    oip: {
      ver: '0.8.0',
      recordType,
      did,
      didTx: did,
      storage: 'gun',
      indexedAt: '2026-11-02T10:00:00.000Z',
      creator: { creatorHandle: 'bench', didAddress: 'did:arweave:bench', publicKey: 'pk-bench' },
    },
  };
}

/** A workout whose exercises each reference one equipment record, all of them indexed. */
function workoutSet(tag: string): { workout: OipRecord; exercises: OipRecord[]; all: OipRecord[] } {
  const all: OipRecord[] = [];
  const exercises: OipRecord[] = [];
  for (let e = 0; e < EXERCISES; e++) {
    const equipment = rec(`${PUB}:${tag}-equipment-${e}`, 'equipment', { kind: 'free weight' }, `Equipment ${e}`);
    const exercise = rec(
      `${PUB}:${tag}-exercise-${e}`,
      'exercise',
      { equipmentRequired: [equipment.oip.did] },
      `Exercise ${e}`,
    );
    exercises.push(exercise);
    all.push(equipment, exercise);
  }
  const workout = rec(
    `${PUB}:${tag}-workout`,
    'workout',
    { exercise: exercises.map((x) => x.oip.did), total_duration_minutes: 45 },
    `Workout ${tag}`,
  );
  return { workout, exercises, all: [workout, ...all] };
}

/** Deletes the first `n` exercises from the store; `onRelay` puts them on the relay (as the sync worker read them). */
async function dropExercises(
  server: ApiServer,
  set: ReturnType<typeof workoutSet>,
  n: number,
  onRelay: boolean,
): Promise<void> {
  for (const ex of set.exercises.slice(0, n)) {
    if (!(await server.store.delete(ex.oip.did))) throw new Error(`${ex.oip.did} was not in the store`);
    if (onRelay)
      server.relay.store.put(soulFromDid(ex.oip.did)!, {
        data: ex.data,
        oip: { ver: ex.oip.ver, recordType: ex.oip.recordType, creator: ex.oip.creator },
      });
  }
}

/** The legacy resolver: one store get per dref, recursively; a miss goes to the relay, 404 asked 3 times. */
async function legacyResolve(
  store: RecordStore,
  relayUrl: string,
  rec: OipRecord,
  depth: number,
  counts: { lookups: number },
): Promise<void> {
  if (depth === 0) return;
  for (const category of Object.values(rec.data)) {
    for (const value of Object.values(category ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (!isDref(item)) continue;
        counts.lookups++;
        let child = await store.get(item);
        if (!child) {
          for (let attempt = 1; attempt <= 3 && !child; attempt++) {
            const res = await request(`${relayUrl}/get?soul=${encodeURIComponent(soulFromDid(item) ?? item)}`);
            const text = await res.body.text();
            if (res.statusCode === 200) child = (JSON.parse(text) as { data: OipRecord }).data;
          }
        }
        if (child) await legacyResolve(store, relayUrl, child, depth - 1, counts);
      }
    }
  }
}

function resolveHeader(h: string | string[] | undefined): { store: number; relay: number; nodes: number } {
  const m = /store=(\d+);relay=(\d+);nodes=(\d+)/.exec(String(h ?? ''));
  if (!m) throw new Error(`no x-oip-resolve header (got ${String(h)})`);
  return { store: Number(m[1]), relay: Number(m[2]), nodes: Number(m[3]) };
}

export const benchmark: Benchmark = {
  name: 'records-dref',
  description:
    'GET /api/records resolveDepth=2, 60-exercise workout: store queries + relay requests per call vs legacy (seed 002), p50 depth 2 vs 0',
  async run(flags) {
    const iterations = Math.round(numberFlag(flags, 'iterations', 300, 10, 5000));
    const server = await startApiServer();
    try {
      const full = workoutSet('full');
      const onRelay = workoutSet('relay');
      const absent = workoutSet('absent');
      await indexAll(server.store, [...full.all, ...onRelay.all, ...absent.all]);
      await dropExercises(server, onRelay, MISSING, true);
      await dropExercises(server, absent, MISSING, false);
      const { relay } = server;
      const rows: Array<Array<string | number>> = [];
      const ours: Record<string, number> = {};
      const cases = [
        ['full', 'all indexed', full],
        ['relay', `${MISSING} exercises deleted, on the relay`, onRelay],
        ['absent', `${MISSING} exercises deleted, not on the relay`, absent],
      ] as const;

      for (const [key, label, set] of cases) {
        for (const call of [1, 2]) {
          relay.resetCounts();
          const res = await server.get(`/api/records?did=${encodeURIComponent(set.workout.oip.did)}&resolveDepth=2`);
          if (res.status !== 200) throw new Error(`GET answered ${res.status}`);
          const h = resolveHeader(res.headers['x-oip-resolve']);
          rows.push([`ours, ${label}, call ${call}`, h.store, h.relay, relay.requestCount, h.nodes]);
          ours[`${key}_call${call}_store`] = h.store;
          ours[`${key}_call${call}_relay`] = relay.requestCount;
        }
        for (const call of [1, 2]) {
          relay.resetCounts();
          const counts = { lookups: 0 };
          await legacyResolve(server.store, relay.url, set.workout, 2, counts);
          rows.push([`legacy emulated, ${label}, call ${call}`, counts.lookups, '', relay.requestCount, '']);
          // Legacy keeps nothing between calls: call 2 repeats call 1 (both printed above).
          ours[`legacy_${key}_lookups`] = counts.lookups;
          ours[`legacy_${key}_relay`] = relay.requestCount;
        }
      }
      rows.push(['legacy (seed 002 figures: 60 drefs, 20 missing)', 61, '', 183, '']);
      printTable(
        ['resolver', 'store queries / lookups', 'relay lookups (header)', 'relay requests (relay count)', 'nodes'],
        rows,
      );

      // Latency of the same page at depth 2 and 0, interleaved so drift hits both alike.
      const page = `/api/records?did=${encodeURIComponent(full.workout.oip.did)}`;
      for (let i = 0; i < 20; i++) await server.get(`${page}&resolveDepth=2`);
      const d0: number[] = [];
      const d2: number[] = [];
      const deadline = Date.now() + 60_000;
      for (let i = 0; i < iterations && Date.now() < deadline; i++) {
        for (const [depth, out] of [
          [0, d0],
          [2, d2],
        ] as const) {
          // Latency to the answer's last byte; the client's own JSON parsing is not the api's.
          const t = performance.now();
          const res = await server.pool.request({ method: 'GET', path: `${page}&resolveDepth=${depth}` });
          const bytes = await res.body.arrayBuffer();
          out.push(performance.now() - t);
          if (res.statusCode !== 200 || bytes.byteLength === 0)
            throw new Error(`GET answered ${res.statusCode} with ${bytes.byteLength} bytes`);
        }
      }
      const p50 = { d0: percentile(d0, 50), d2: percentile(d2, 50) };
      const ratio = p50.d2 / p50.d0;
      printTable(
        ['resolveDepth', 'requests', 'p50 ms', 'p99 ms'],
        [
          [0, d0.length, p50.d0.toFixed(2), percentile(d0, 99).toFixed(2)],
          [2, d2.length, p50.d2.toFixed(2), percentile(d2, 99).toFixed(2)],
        ],
      );
      // Goals: one store query per level when all is indexed; each deleted exercise asked of the
      // relay once on the first call and not again on the second; depth 2 within 3× depth 0.
      const goal =
        ours['full_call1_store'] === 2 &&
        ours['full_call1_relay'] === 0 &&
        ours['relay_call1_relay'] === MISSING &&
        ours['relay_call2_relay'] === 0 &&
        ours['absent_call1_relay'] === MISSING &&
        ours['absent_call2_relay'] === 0 &&
        ratio <= 3;
      printResult(
        'records-dref',
        {
          ...ours,
          seed002_lookups: 61,
          seed002_relay: 183,
          p50_depth0_ms: p50.d0.toFixed(2),
          p50_depth2_ms: p50.d2.toFixed(2),
          depth2_over_depth0: ratio.toFixed(2),
        },
        goal,
      );
    } finally {
      await server.close();
    }
  },
};
