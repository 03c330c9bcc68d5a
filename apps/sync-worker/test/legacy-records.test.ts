// The worker pipeline against the fake relay in legacy mode, fed by LegacyPublisher exactly as
// legacy nodes publish: arrays as JSON strings in `data`, `meta` (and an encrypted record's
// `data`) behind GUN links, registry entries behind links, the publisher's own oip.indexedAt.
import { beforeEach, describe, expect, it } from 'vitest';
import { LegacyPublisher } from '@oip/fake-relay';
import { DeadLetterCodes } from '@oip/queue-contracts';
import { invariantHolds } from '@oip/sync-state';
import { useWorkerRun } from './helpers/worker-run.js';

const TYPES = ['exercise', 'workout', 'recipe', 'shoppingList', 'workoutSchedule', 'post'];
const PUBLISHED_AT = '2024-11-02T10:00:00.000Z';
const TS = 1730541600000;

const run = useWorkerRun({ relay: { mode: 'legacy', missDelayMs: 5 }, config: { recordTypes: TYPES } });
let pub: LegacyPublisher;

beforeEach(() => {
  pub = new LegacyPublisher({ baseUrl: run.relay.url, publicKey: 'legacy-publisher-key', nodeId: 'feedc0de00000002' });
});

const start = (overrides: Record<string, unknown> = {}) => run.start(overrides);

const basic = (name: string, tags: string[], description = 'a legacy record') => ({
  name,
  description,
  date: 1730505600,
  language: 'en',
  tagItems: tags,
});

/** One record of each FitnessAlly type, with the arrays that legacy publishers turn into strings. */
async function publishFitnessSet(): Promise<Record<string, string>> {
  const dids: Record<string, string> = {};
  const put = async (localId: string, recordType: string, data: Record<string, unknown>) => {
    dids[recordType] = (await pub.publish({ localId, recordType, data, indexedAt: PUBLISHED_AT, timestamp: TS })).did;
  };
  await put('bench-press', 'exercise', {
    basic: basic('Bench press', ['fitness', 'ex0']),
    exercise: {
      instructions: ['[bracketed] step', 'press up'],
      muscleGroups: ['chest'],
      equipmentRequired: ['bench'],
      exercise_type: 'strength',
    },
  });
  await put('push-day', 'workout', {
    basic: basic('Push day', ['fitness', 'push'], '[bracketed] step'),
    workout: { total_duration_minutes: 45, exercise: [dids.exercise, 'did:arweave:Xy12'], exercise_amount: [3, 4] },
  });
  await put('pancakes', 'recipe', {
    basic: basic('Pancakes', ['fitness', 'breakfast']),
    recipe: {
      ingredient: ['did:gun:aaaaaaaaaaaa:flour', 'did:gun:aaaaaaaaaaaa:egg'],
      ingredient_amount: [200, 2],
      instructions: ['mix', 'fry'],
      servings: 4,
    },
  });
  await put('groceries', 'shoppingList', {
    basic: basic('Groceries', ['fitness']),
    shoppingList: { item: ['oats', 'eggs'], item_amounts: [1, 12] },
  });
  await put('week-1', 'workoutSchedule', {
    basic: basic('Week 1', ['fitness']),
    workoutSchedule: { scheduled_date: '2024-11-04', workout: [dids.workout] },
  });
  await put('hello', 'post', {
    basic: basic('Hello', ['fitness', 'news']),
    post: { articleText: 'Text', bylineWriter: '[anon]', webUrl: '[not, json' },
  });
  return dids;
}

describe('records published by legacy nodes', () => {
  it('indexes every FitnessAlly type with its arrays restored before validation, and a tag query finds them all', async () => {
    const dids = await publishFitnessSet();
    const w = await start();
    const report = await w.discoverNow();
    expect(report).toMatchObject({ entries: 6, queued: 6, errors: [] });
    const c = await w.waitIdle(20_000);
    expect(c).toMatchObject({ discovered: 6, indexed: 6, dead: 0, gone: 0, inflight: 0 });
    expect(invariantHolds(c)).toBe(true);

    const workout = await w.store.get(dids.workout!);
    expect(workout?.data.workout).toEqual({
      total_duration_minutes: 45,
      exercise: [dids.exercise, 'did:arweave:Xy12'],
      exercise_amount: [3, 4],
    });
    expect(workout?.data.basic).toMatchObject({ tagItems: ['fitness', 'push'], description: '[bracketed] step' });
    expect((await w.store.get(dids.exercise!))?.data.exercise).toMatchObject({
      instructions: ['[bracketed] step', 'press up'],
      muscleGroups: ['chest'],
    });
    expect((await w.store.get(dids.recipe!))?.data.recipe).toMatchObject({
      ingredient: ['did:gun:aaaaaaaaaaaa:flour', 'did:gun:aaaaaaaaaaaa:egg'],
      ingredient_amount: [200, 2],
      instructions: ['mix', 'fry'],
    });
    expect((await w.store.get(dids.shoppingList!))?.data.shoppingList).toEqual({
      item: ['oats', 'eggs'],
      item_amounts: [1, 12],
    });
    expect((await w.store.get(dids.workoutSchedule!))?.data.workoutSchedule).toMatchObject({ workout: [dids.workout] });
    // bracketed text that is not a JSON array stays text
    expect((await w.store.get(dids.post!))?.data.post).toEqual({
      articleText: 'Text',
      bylineWriter: '[anon]',
      webUrl: '[not, json',
    });

    const tagged = await w.store.search({ tags: ['fitness'], limit: 100 });
    expect(tagged.total).toBe(6);
    expect(new Set(tagged.records.map((r) => r.oip.did))).toEqual(new Set(Object.values(dids)));
    expect((await w.store.search({ tags: ['ex0'] })).records.map((r) => r.oip.did)).toEqual([dids.exercise]);
  });

  it('follows meta behind its link, never stores a link, and keeps the publisher oip.indexedAt beside our oip.syncedAt', async () => {
    const { did, soul } = await pub.publish({
      localId: 'solo',
      recordType: 'post',
      data: { basic: basic('Solo', ['x']), post: { articleText: 'hi' } },
      indexedAt: PUBLISHED_AT,
      timestamp: TS,
    });
    const before = Date.now();
    run.relay.resetCounts(); // the publisher's puts are counted too
    const w = await start();
    await w.discoverNow();
    expect(await w.waitIdle(10_000)).toMatchObject({ indexed: 1, dead: 0 });
    const stored = await w.store.get(did);
    expect(stored?.meta).toEqual({ created: expect.any(Number), localId: 'solo', encrypted: false });
    expect(JSON.stringify(stored)).not.toContain('"#"');
    expect(stored?.oip.indexedAt).toBe(PUBLISHED_AT);
    expect(Date.parse(String(stored?.oip.syncedAt))).toBeGreaterThanOrEqual(before - 1000);
    // the link was read through the relay: the record, then its meta node
    expect(run.relay.countBySoul(soul)).toBe(1);
    expect(run.relay.countBySoul(`${soul}/meta`)).toBe(1);
    // the registry entry behind its link gave the real version
    expect(await w.state.get(did)).toMatchObject({ state: 'indexed', version: String(TS) });
  });

  it('skips an encrypted legacy record (meta.encrypted behind the link) as encrypted, not dead-lettered', async () => {
    const { did } = await pub.publish({
      localId: 'private',
      recordType: 'post',
      data: { basic: basic('Private', ['x']) },
      encrypted: true,
      timestamp: TS,
    });
    const w = await start();
    await w.discoverNow();
    const c = await w.waitIdle(10_000);
    expect(c).toMatchObject({ discovered: 1, gone: 1, dead: 0, indexed: 0 });
    expect(c.goneByReason).toEqual({ encrypted: 1 });
    expect(await w.store.get(did)).toBeNull();
    expect(await w.deadLetters.list({ limit: 10 })).toHaveLength(0);
  });

  it('retries a record whose meta link does not resolve and dead-letters it as exhausted, storing nothing', async () => {
    const { did, soul } = await pub.publish({
      localId: 'broken',
      recordType: 'post',
      data: { basic: basic('Broken', ['x']) },
      timestamp: TS,
    });
    run.relay.store.delete(`${soul}/meta`);
    const w = await start({ attempts: 3 });
    await w.discoverNow();
    const c = await w.waitIdle(15_000);
    expect(c).toMatchObject({ dead: 1, indexed: 0, retries: 2 });
    expect(c.deadByCode).toEqual({ [DeadLetterCodes.EXHAUSTED]: 1 });
    expect((await w.deadLetters.show(did))?.message).toContain('RECORDS_ERR_LINK_UNRESOLVED');
    expect(await w.store.get(did)).toBeNull();
  });

  it('indexes a record whose meta link resolves on a retry', async () => {
    const { did, soul } = await pub.publish({
      localId: 'late',
      recordType: 'post',
      data: { basic: basic('Late', ['x']) },
      timestamp: TS,
    });
    run.relay.addFault({ path: '/get', soul: `${soul}/meta`, status: 404, body: { error: 'Not found' }, times: 1 });
    const w = await start({ attempts: 3 });
    await w.discoverNow();
    expect(await w.waitIdle(15_000)).toMatchObject({ indexed: 1, dead: 0, retries: 1 });
    expect((await w.store.get(did))?.meta).toMatchObject({ localId: 'late' });
  });

  it('picks up an update published the legacy way (a later registry timestamp behind the link) and skips entries of our own node id', async () => {
    const { did } = await pub.publish({
      localId: 'evolving',
      recordType: 'post',
      data: { basic: basic('v1', ['x']) },
      timestamp: TS,
    });
    const w = await start({ nodeId: '0123456789abcdef' });
    const ours = new LegacyPublisher({
      baseUrl: run.relay.url,
      publicKey: 'legacy-publisher-key',
      nodeId: '0123456789abcdef',
    });
    await ours.publish({ localId: 'mine', recordType: 'post', data: { basic: basic('mine', ['x']) }, timestamp: TS });
    await w.discoverNow();
    expect(await w.waitIdle(10_000)).toMatchObject({ indexed: 1, dead: 0 });
    expect(await w.store.get(`did:gun:${ours.soulFor('mine')}`)).toBeNull();

    await pub.publish({
      localId: 'evolving',
      recordType: 'post',
      data: { basic: basic('v2', ['x', 'y']) },
      timestamp: TS + 1000,
    });
    const report = await w.discoverNow();
    expect(report).toMatchObject({ queued: 1 });
    expect(await w.waitIdle(10_000)).toMatchObject({ indexed: 2, dead: 0 });
    expect((await w.store.get(did))?.data.basic).toMatchObject({ name: 'v2', tagItems: ['x', 'y'] });
    expect(await w.state.get(did)).toMatchObject({ state: 'indexed', version: String(TS + 1000) });
  });

  it('dead-letters a record with more links than the bound as too large, after one attempt', async () => {
    const { did, soul } = await pub.publish({
      localId: 'wide',
      recordType: 'post',
      data: { basic: basic('Wide', ['x']) },
      timestamp: TS,
    });
    // 40 nested objects in meta: 40 more links behind the meta link
    await pub.put(soul, { meta: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, { v: i }])) });
    const w = await start();
    await w.discoverNow();
    const c = await w.waitIdle(10_000);
    expect(c).toMatchObject({ dead: 1, indexed: 0, retries: 0 });
    expect(c.deadByCode).toEqual({ [DeadLetterCodes.TOO_LARGE]: 1 });
    expect((await w.deadLetters.show(did))?.message).toContain('RECORDS_ERR_LINK_BOUND');
  });
});
