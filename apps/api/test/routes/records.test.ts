import { describe, expect, it } from 'vitest';
import { publisherHash, sealGunRecord, soulFromDid } from '@oip/records';
import { createPublisherKeys } from '@oip/accounts';
import type { FakeRelay } from '@oip/fake-relay';
import { rec, useApi } from '../helpers.js';

const start = useApi();
// The souls of the fixtures' creator (rec() names 'pk-devon'), so their relay copies are attributable.
const PUB = publisherHash('pk-devon');

/** A workout with `n` exercise drefs; each exercise has `eq` equipment drefs. */
function workoutFixture(n: number, eq: number) {
  const equipment = Array.from({ length: eq }, (_, i) => rec(`${PUB}:equipment-${i}`, 'equipment'));
  const exercises = Array.from({ length: n }, (_, i) =>
    rec(
      `${PUB}:exercise-${i}`,
      'exercise',
      { equipmentRequired: equipment.map((e) => e.oip.did) },
      { name: `Exercise ${i}` },
    ),
  );
  const workout = rec(
    `${PUB}:workout-1`,
    'workout',
    { exercise: exercises.map((e) => e.oip.did), total_duration_minutes: 45 },
    { tagItems: ['fitness', 'strength'] },
  );
  return { workout, exercises, equipment };
}

describe('GET /api/records', () => {
  it('answers the legacy envelope with store paging and counts', async () => {
    const posts = Array.from({ length: 5 }, (_, i) =>
      rec(`${PUB}:post-${i}`, 'post', {}, { tagItems: i % 2 ? ['odd'] : ['even'] }),
    );
    const { app } = await start([...posts, rec(`${PUB}:w`, 'workout')]);
    const res = await app.inject('/api/records?recordType=post&limit=2&page=2&sortBy=date:asc&someUnknownParam=1');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      message: 'Records retrieved successfully',
      totalRecords: 5,
      pageSize: 2,
      currentPage: 2,
      searchResults: 5,
      totalPages: 3,
      auth: { authenticated: false, user: null },
    });
    expect(body.records.map((r: { oip: { did: string } }) => r.oip.did)).toEqual([
      posts[2]!.oip.did,
      posts[3]!.oip.did,
    ]);
    const tagged = (await app.inject('/api/records?tags=odd')).json();
    expect(tagged.searchResults).toBe(2);
  });

  it('names the parameter of a bad value in a 400', async () => {
    const { app } = await start();
    for (const [q, name] of [
      ['limit=0', 'limit'],
      ['page=abc', 'page'],
      ['resolveDepth=50', 'resolveDepth'],
      ['searchMatchMode=XOR', 'searchMatchMode'],
      ['dateStart=not-a-date', 'dateStart'],
      ['source=ipfs', 'source'],
    ] as const) {
      const res = await app.inject(`/api/records?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code, q).toBe('API_ERR_INVALID_QUERY');
      expect(res.json().error.message, q).toContain(name);
    }
  });

  it('resolves a 60-exercise workout at depth 2 with one store query per level and no relay request', async () => {
    const { workout, exercises, equipment } = workoutFixture(60, 3);
    const { app, relay } = await start([workout, ...exercises, ...equipment]);
    const res = await app.inject(`/api/records?recordType=workout&resolveDepth=2`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-oip-resolve']).toBe('store=2;relay=0;nodes=240');
    expect(relay.requestCount).toBe(0);
    const w = res.json().records[0];
    expect(w.data.workout.exercise).toHaveLength(60);
    expect(w.data.workout.exercise[7].data.basic.name).toBe('Exercise 7');
    expect(w.data.workout.exercise[7].data.exercise.equipmentRequired[1].oip.did).toBe(equipment[1]!.oip.did);
  });

  it('asks the relay once per missing gun dref, and not again on the next call', async () => {
    const { workout, exercises } = workoutFixture(60, 0);
    const { app, relay } = await start([workout, ...exercises.slice(20)]);
    const first = await app.inject(`/api/records?recordType=workout&resolveDepth=2`);
    expect(first.headers['x-oip-resolve']).toBe('store=1;relay=20;nodes=40');
    expect(relay.countByPath('/get')).toBe(20);
    const again = await app.inject(`/api/records?recordType=workout&resolveDepth=2`);
    expect(again.statusCode).toBe(200);
    expect(relay.countByPath('/get')).toBe(20);
    expect(again.json().records[0].data.workout.exercise[0]).toBe(exercises[0]!.oip.did);
  });

  it('keeps what the relay returned for the next pages: asked once, then read from the bounded cache', async () => {
    const { workout, exercises } = workoutFixture(60, 0);
    for (const [overrides, secondCallAsks] of [
      [{}, 0],
      [{ relayCacheBytes: 0 }, 20],
    ] as const) {
      // Legacy-style unsigned records on the relay.
      const { app, relay } = await start([workout, ...exercises.slice(20)], {
        unsignedRecords: 'accept',
        ...overrides,
      });
      for (const ex of exercises.slice(0, 20))
        relay.store.put(soulFromDid(ex.oip.did)!, {
          data: ex.data,
          oip: { ver: ex.oip.ver, recordType: ex.oip.recordType, creator: ex.oip.creator },
        });
      const first = await app.inject(`/api/records?recordType=workout&resolveDepth=1`);
      expect(relay.countByPath('/get')).toBe(20);
      expect(first.json().records[0].data.workout.exercise[0].data.basic.name).toBe('Exercise 0');
      const again = await app.inject(`/api/records?recordType=workout&resolveDepth=1`);
      expect(relay.countByPath('/get'), JSON.stringify(overrides)).toBe(20 + secondCallAsks);
      // Each page gets its own copy: the second answer equals the first, but for the reading time
      // (oip.syncedAt, and indexedAt where the publisher gave none) of a record read from the relay again.
      const readAt = (k: string, v: unknown) =>
        secondCallAsks > 0 && (k === 'syncedAt' || k === 'indexedAt') ? undefined : v;
      const strip = (records: unknown) => JSON.parse(JSON.stringify(records), readAt) as unknown;
      expect(strip(again.json().records)).toEqual(strip(first.json().records));
    }
  });

  it('believes a relay record for a dref only as the sync-worker would: signed and intact, never forged, unsigned (by default) or encrypted', async () => {
    const owner = createPublisherKeys();
    const ph = publisherHash(owner.publicKey);
    const put = (relay: FakeRelay, id: string, name: string, how: 'signed' | 'tampered' | 'unsigned' | 'encrypted') => {
      const soul = `${ph}:${id}`;
      const data: Record<string, unknown> = {
        basic: { name },
        ...(how === 'encrypted'
          ? { accessControl: { access_level: 'private', owner_public_key: owner.publicKey } }
          : {}),
      };
      const oip = {
        ver: '0.8.0',
        recordType: 'exercise',
        creator: { creatorHandle: 'o', didAddress: 'did:gun:o', publicKey: owner.publicKey },
      };
      const wire = sealGunRecord({
        soul,
        data,
        oip,
        meta: { created: 1, localId: id },
        publicKey: owner.publicKey,
        privateKeyHex: owner.privateKey,
      });
      if (how === 'tampered') wire.data = { basic: { name: `${name} (forged)` } };
      if (how === 'unsigned') wire.oip = oip;
      relay.store.put(soul, { ...wire, data: JSON.stringify(wire.data), oip: JSON.stringify(wire.oip) });
      return `did:gun:${soul}`;
    };
    const { app, relay } = await start([]);
    const drefs = (['signed', 'tampered', 'unsigned', 'encrypted'] as const).map((how) =>
      put(relay, how, `Exercise ${how}`, how),
    );
    await app.store.bulkUpsert([rec(`${PUB}:workout-relay`, 'workout', { exercise: drefs })]);
    const res = await app.inject(
      `/api/records?did=${encodeURIComponent(`did:gun:${PUB}:workout-relay`)}&resolveDepth=1`,
    );
    const resolved = res.json().records[0].data.workout.exercise as Array<
      string | { data: { basic: { name: string } } }
    >;
    expect(resolved.map((e) => (typeof e === 'string' ? e : e.data.basic.name))).toEqual([
      'Exercise signed',
      drefs[1],
      drefs[2],
      drefs[3],
    ]);
  });

  it('ends a dref cycle with the legacy _circular stub and resolves names only at the deepest level', async () => {
    const a = rec(`${PUB}:a`, 'post', { ref: `did:gun:${PUB}:b` }, { name: 'A' });
    const b = rec(`${PUB}:b`, 'post', { ref: `did:gun:${PUB}:a` }, { name: 'B' });
    const { app } = await start([a, b]);
    const res = (await app.inject(`/api/records/did:gun:${PUB}:a?resolveDepth=3`)).json();
    expect(res.data.post.ref.data.basic.name).toBe('B');
    expect(res.data.post.ref.data.post.ref).toMatchObject({
      _circular: true,
      data: { basic: { name: 'A' } },
      oip: { did: a.oip.did },
    });
    const names = (await app.inject(`/api/records/did:gun:${PUB}:a?resolveDepth=1&resolveNamesOnly=true`)).json();
    expect(names.data.post.ref).toBe('B');
  });

  it('refuses a page that would resolve more records than the bound', async () => {
    const { workout, exercises, equipment } = workoutFixture(60, 3);
    const { app } = await start([workout, ...exercises, ...equipment], { maxResolveNodes: 100 });
    const res = await app.inject(`/api/records?recordType=workout&resolveDepth=2`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('API_ERR_RESOLVE_LIMIT');
  });
});

describe('GET /api/records/recordTypes and /api/records/:did', () => {
  it('counts per type and answers one record or a 404', async () => {
    const { app } = await start([rec(`${PUB}:p1`, 'post'), rec(`${PUB}:p2`, 'post'), rec(`${PUB}:w1`, 'workout')]);
    expect((await app.inject('/api/records/recordTypes')).json()).toMatchObject({
      recordTypes: [
        { recordType: 'post', count: 2 },
        { recordType: 'workout', count: 1 },
      ],
    });
    expect((await app.inject(`/api/records/did:gun:${PUB}:w1`)).json().oip.recordType).toBe('workout');
    const missing = await app.inject(`/api/records/did:gun:${PUB}:none`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('API_ERR_RECORD_NOT_FOUND');
  });
});
