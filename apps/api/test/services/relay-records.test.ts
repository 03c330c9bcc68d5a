// A dref the api fetches from the relay is read as the sync-worker reads it (@oip/records): the
// same legacy-published record, fetched through the real api from a legacy-mode relay and
// converted through the sync-worker's steps, is the same record field for field.
import { afterEach, describe, expect, it } from 'vitest';
import { LegacyPublisher, startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { GunClient } from '@oip/gun-client';
import { convertRecord, resolveLinks, restoreRecord, validateRecord } from '@oip/records';
import { rec, useApi } from '../helpers.js';

const start = useApi();
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
});

describe('a relay record resolved for a dref', () => {
  it('equals the record the sync-worker makes of it: links followed, arrays restored, creator nested', async () => {
    const legacy: FakeRelay = await startFakeRelay({ mode: 'legacy', missDelayMs: 5 });
    opened.push(legacy);
    const publisher = new LegacyPublisher({ baseUrl: legacy.url, publicKey: 'legacy-publisher-key' });
    const { soul, did } = await publisher.publish({
      localId: 'goblet-squat',
      recordType: 'exercise',
      indexedAt: '2024-11-02T10:00:00.000Z',
      data: {
        basic: { name: 'Goblet squat', date: 1730505600, tagItems: ['legs', 'kettlebell'] },
        exercise: { instructions: ['Hold the bell', 'Sit down'], muscleGroups: ['quads'], exercise_type: 'strength' },
      },
      register: false,
    });
    const workout = rec('abcabcabcabc:legs', 'workout', { exercise: [did] });
    const { app } = await start([workout], { relayUrl: legacy.url, unsignedRecords: 'accept' });
    const res = await app.inject(`/api/records?did=${encodeURIComponent(workout.oip.did)}&resolveDepth=1`);
    expect(res.statusCode).toBe(200);
    const fetched = res.json().records[0].data.workout.exercise[0];
    expect(typeof fetched).toBe('object');

    const client = new GunClient({ baseUrl: legacy.url, negativeCache: false });
    opened.push(client);
    const restored = restoreRecord(await resolveLinks((await client.getRecord(soul))!, client));
    expect(validateRecord(restored)).toEqual({ ok: true });
    // The reading time is each reader's own: the sync path is given the api's.
    const synced = convertRecord(restored, did, new Date(fetched.oip.syncedAt));
    expect(fetched).toEqual(synced);
    expect(fetched.data.exercise.instructions).toEqual(['Hold the bell', 'Sit down']);
    expect(fetched.oip.creator).toEqual({
      didAddress: 'did:arweave:legacy-publisher',
      publicKey: 'legacy-publisher-key',
    });
    expect(fetched.meta).toMatchObject({ localId: 'goblet-squat', encrypted: false });
  });

  it('leaves a dref unresolved when the relay record is not one the sync-worker would index', async () => {
    const legacy: FakeRelay = await startFakeRelay({ mode: 'legacy', missDelayMs: 5 });
    opened.push(legacy);
    const publisher = new LegacyPublisher({ baseUrl: legacy.url, publicKey: 'legacy-publisher-key' });
    const soul = publisher.soulFor('broken');
    // Attributable and unsigned, but `basic.name` is not a string: sync dead-letters it as invalid.
    await publisher.put(soul, {
      data: JSON.stringify({ basic: { name: 7 } }),
      oip: JSON.stringify({
        ver: '0.8.0',
        recordType: 'exercise',
        creator: { didAddress: 'd', publicKey: 'legacy-publisher-key' },
      }),
    });
    const workout = rec('abcabcabcabc:legs2', 'workout', { exercise: [`did:gun:${soul}`] });
    const { app } = await start([workout], { relayUrl: legacy.url, unsignedRecords: 'accept' });
    const res = await app.inject(`/api/records?did=${encodeURIComponent(workout.oip.did)}&resolveDepth=1`);
    expect(res.json().records[0].data.workout.exercise).toEqual([`did:gun:${soul}`]);
    // It was asked for (one /get), then refused by the sync rules.
    expect(legacy.log().filter((e) => e.path === '/get' && e.soul === soul)).toHaveLength(1);
  });
});
