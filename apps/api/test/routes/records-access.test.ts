// Optional auth on reads and private records: invisible to others in lists, counts, :did and
// resolved drefs (from the store and from the relay), visible to the owner's token.
import { describe, expect, it } from 'vitest';
import type { OipRecord } from '@oip/record-store';
import { rec, useApi } from '../helpers.js';
import { signToken } from '../jwt.js';
import { publisherHash } from '@oip/records';

const SECRET = 'test-secret-of-at-least-16-chars';
// The souls of the fixtures' creator (rec() names 'pk-devon'), so their relay copies are attributable.
const PUB = publisherHash('pk-devon');

const privateOf = (r: OipRecord, owner: string): OipRecord => ({
  ...r,
  data: { ...r.data, accessControl: { access_level: 'private', owner_public_key: owner } },
});
const token = (publicKey: string, extra: Record<string, unknown> = {}) =>
  signToken(
    {
      userId: `u-${publicKey}`,
      email: `${publicKey}@example.org`,
      publicKey,
      isAdmin: false,
      scope: 'full',
      tokenType: 'standard',
      ...extra,
    },
    SECRET,
  );
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const dids = (body: { records: Array<{ oip: { did: string } }> }) => body.records.map((r) => r.oip.did).sort();
// The accounts behind the tokens below (the api reads a token's account on every request).
const start = useApi({
  accountsFor: [
    token('pk-alice'),
    token('pk-bob'),
    signToken({ userId: 'u1', email: 'a@example.org', publisherPubKey: 'pk-alice' }, SECRET),
  ],
});

function fixture() {
  const pub = rec(`${PUB}:public-1`, 'exercise', {}, { name: 'Public squat' });
  const alice = privateOf(rec(`${PUB}:alice-1`, 'exercise', {}, { name: 'Alice private' }), 'pk-alice');
  const bob = privateOf(rec(`${PUB}:bob-1`, 'exercise', {}, { name: 'Bob private' }), 'pk-bob');
  const onRelayOnly = privateOf(rec(`${PUB}:alice-relay`, 'exercise', {}, { name: 'Alice on relay' }), 'pk-alice');
  const workout = rec(`${PUB}:workout-1`, 'workout', { exercise: [pub.oip.did, alice.oip.did, onRelayOnly.oip.did] });
  return { pub, alice, bob, onRelayOnly, workout };
}

describe('private records', () => {
  it('are left out of lists and counts for anonymous callers and other users, and shown to the owner', async () => {
    const f = fixture();
    const { app } = await start([f.pub, f.alice, f.bob, f.workout], { jwtSecret: SECRET });
    const anon = (await app.inject('/api/records?recordType=exercise')).json();
    expect(dids(anon)).toEqual([f.pub.oip.did]);
    expect([anon.totalRecords, anon.searchResults, anon.auth]).toEqual([1, 1, { authenticated: false, user: null }]);

    const asAlice = (
      await app.inject({ url: '/api/records?recordType=exercise', headers: bearer(token('pk-alice')) })
    ).json();
    expect(dids(asAlice)).toEqual([f.alice.oip.did, f.pub.oip.did].sort());
    expect([asAlice.totalRecords, asAlice.searchResults]).toEqual([2, 2]);
    expect(asAlice.auth).toEqual({
      authenticated: true,
      user: { email: 'pk-alice@example.org', userId: 'u-pk-alice', publicKey: 'pk-alice' },
    });

    const asBob = (
      await app.inject({ url: '/api/records?recordType=exercise', headers: bearer(token('pk-bob')) })
    ).json();
    expect(dids(asBob)).toEqual([f.bob.oip.did, f.pub.oip.did].sort());
  });

  it('answer 404 by DID to anyone but the owner, also under the legacy publisherPubKey claim', async () => {
    const f = fixture();
    const { app } = await start([f.alice], { jwtSecret: SECRET });
    const url = `/api/records/${f.alice.oip.did}`;
    expect((await app.inject(url)).statusCode).toBe(404);
    expect((await app.inject({ url, headers: bearer(token('pk-bob')) })).statusCode).toBe(404);
    const legacyClaim = signToken({ userId: 'u1', email: 'a@example.org', publisherPubKey: 'pk-alice' }, SECRET);
    const own = await app.inject({ url, headers: bearer(legacyClaim) });
    expect([own.statusCode, own.json().oip.did]).toEqual([200, f.alice.oip.did]);
  });

  it('never appear inside resolved drefs of others, from the store or from the relay', async () => {
    const f = fixture();
    const { app, relay } = await start([f.pub, f.alice, f.workout], { jwtSecret: SECRET, unsignedRecords: 'accept' });
    relay.store.put(`${PUB}:alice-relay`, f.onRelayOnly as unknown as Record<string, unknown>);
    const anon = (await app.inject(`/api/records/${f.workout.oip.did}?resolveDepth=1`)).json();
    const [a0, a1, a2] = anon.data.workout.exercise;
    expect(a0.data.basic.name).toBe('Public squat');
    expect([a1, a2]).toEqual([f.alice.oip.did, f.onRelayOnly.oip.did]);

    const own = (
      await app.inject({ url: `/api/records/${f.workout.oip.did}?resolveDepth=1`, headers: bearer(token('pk-alice')) })
    ).json();
    expect(own.data.workout.exercise.map((e: { data: { basic: { name: string } } }) => e.data.basic.name)).toEqual([
      'Public squat',
      'Alice private',
      'Alice on relay',
    ]);
  });
});

describe('tokens', () => {
  it('refuses an invalid, expired, unsigned or foreign token with the legacy 403', async () => {
    const { app } = await start([], { jwtSecret: SECRET });
    const bad = [
      'Bearer not-a-jwt',
      `Bearer ${token('pk-alice', { exp: Math.floor(Date.now() / 1000) - 60 })}`,
      `Bearer ${signToken({ userId: 'u', email: 'e', publicKey: 'pk-alice' }, SECRET, { alg: 'none', typ: 'JWT' })}`,
      `Bearer ${signToken({ userId: 'u', email: 'e', publicKey: 'pk-alice' }, 'another-secret-of-16-chars')}`,
      `Basic ${Buffer.from('a:b').toString('base64')}`,
    ];
    for (const authorization of bad) {
      const res = await app.inject({ url: '/api/records', headers: { authorization } });
      expect([res.statusCode, res.json()], authorization).toEqual([
        403,
        {
          error: { code: 'API_ERR_TOKEN_INVALID', message: 'Invalid or expired token' },
          requestId: expect.any(String),
        },
      ]);
      expect(res.headers['x-error-code']).toBe('API_ERR_TOKEN_INVALID');
    }
  });

  it('without JWT_SECRET reads stay anonymous and any bearer token is refused', async () => {
    const { app } = await start([rec(`${PUB}:p`, 'post')]);
    expect((await app.inject('/api/records')).json().searchResults).toBe(1);
    expect((await app.inject({ url: '/api/records', headers: bearer(token('pk-alice')) })).statusCode).toBe(403);
  });
});
