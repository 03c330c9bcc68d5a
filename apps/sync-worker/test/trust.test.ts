// What a node believes of records and deletions from other nodes, on the real pipeline (fake relay,
// real Redis, SQLite): signatures verified against the soul's publisher, unsigned records refused by
// default, encrypted records opened only with keys this node holds, deletions applied only when
// their signer may delete.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService, PublisherKeyring, createSqliteAccountStore } from '@oip/accounts';
import { GunClient } from '@oip/gun-client';
import { DeadLetterCodes } from '@oip/queue-contracts';
import { invariantHolds } from '@oip/sync-state';
import { useWorkerRun } from './helpers/worker-run.js';
import { keysOf, newPublisher, putAndRegister, putDeletion, signedPost } from './helpers/signed-records.js';

const run = useWorkerRun({ config: { recordTypes: ['post'], unsignedRecords: 'refuse' } });
let gun: GunClient;
beforeEach(() => {
  gun = new GunClient({ baseUrl: run.relay.url, retry: { attempts: 1 }, negativeCache: false });
});
afterEach(async () => {
  await gun.close();
});

const alice = newPublisher();
const mallory = newPublisher();
const post = (name: string, extra: Record<string, unknown> = {}) => ({
  basic: { name, date: 1730505600, language: 'en' },
  post: { articleText: `${name} text` },
  ...extra,
});

describe('signed records', () => {
  it('indexes a signed record, and dead-letters a forged version of it as SYNC_ERR_BAD_SIGNATURE, keeping the stored one', async () => {
    const r = signedPost(alice, 'p1', post('Original'));
    await putAndRegister(gun, r, 1000);
    const w = await run.start();
    await w.discoverNow();
    expect(await w.waitIdle(10_000)).toMatchObject({ indexed: 1, dead: 0 });
    expect((await w.store.get(r.did))?.data.basic).toMatchObject({ name: 'Original' });

    // The attacker overwrites the soul (data changed, signature kept) and bumps the registry entry.
    await putAndRegister(gun, { soul: r.soul, wire: { ...r.wire, data: post('Forged') } }, 2000);
    await w.discoverNow();
    const c = await w.waitIdle(10_000);
    expect(c.deadByCode).toMatchObject({ [DeadLetterCodes.BAD_SIGNATURE]: 1 });
    expect((await w.deadLetters.show(r.did))?.code).toBe(DeadLetterCodes.BAD_SIGNATURE);
    expect((await w.store.get(r.did))?.data.basic).toMatchObject({ name: 'Original' });
    expect(invariantHolds(c)).toBe(true);
  });

  it("dead-letters a record signed validly by a key that is not its soul's publisher, and one naming a creator it cannot sign for", async () => {
    const intoAlicesSpace = signedPost(alice, 'p2', post('Mallory as Alice'), mallory);
    await putAndRegister(gun, intoAlicesSpace, 1000);
    const w = await run.start();
    await w.discoverNow();
    const c = await w.waitIdle(10_000);
    expect(c).toMatchObject({ indexed: 0, dead: 1, deadByCode: { [DeadLetterCodes.BAD_SIGNATURE]: 1 } });
    expect(await w.store.get(intoAlicesSpace.did)).toBeNull();
  });
});

describe('unsigned (legacy) records', () => {
  const unsigned = (localId: string, creatorKey: string, soulKey = creatorKey) => {
    const r = signedPost({ ...alice, publicKey: soulKey }, localId, post(`Unsigned ${localId}`), alice);
    const { signature: _s, sigScheme: _k, ...oip } = r.wire.oip;
    return {
      ...r,
      wire: { ...r.wire, oip: { ...oip, creator: { ...(oip['creator'] as object), publicKey: creatorKey } } },
    };
  };

  it('refuses them by default with SYNC_ERR_UNSIGNED', async () => {
    const r = unsigned('u1', alice.publicKey);
    await putAndRegister(gun, r, 1000);
    const w = await run.start();
    await w.discoverNow();
    expect(await w.waitIdle(10_000)).toMatchObject({ indexed: 0, deadByCode: { [DeadLetterCodes.UNSIGNED]: 1 } });
  });

  it("accepts them when told to, unless the creator is not the soul's publisher or a signed version is held", async () => {
    const fine = unsigned('u1', alice.publicKey);
    const foreign = unsigned('u2', mallory.publicKey, alice.publicKey);
    const signed = signedPost(alice, 'u3', post('Signed first'));
    for (const [i, r] of [fine, foreign, signed].entries()) await putAndRegister(gun, r, 1000 + i);
    const w = await run.start({ unsignedRecords: 'accept' });
    await w.discoverNow();
    expect(await w.waitIdle(10_000)).toMatchObject({
      indexed: 2,
      dead: 1,
      deadByCode: { [DeadLetterCodes.BAD_SIGNATURE]: 1 },
    });
    expect(await w.store.get(fine.did)).not.toBeNull();

    const downgrade = unsigned('u3', alice.publicKey);
    await putAndRegister(gun, downgrade, 5000);
    await w.discoverNow();
    expect(await w.waitIdle(10_000)).toMatchObject({ deadByCode: { [DeadLetterCodes.UNSIGNED]: 1 } });
    expect((await w.store.get(signed.did))?.data.basic).toMatchObject({ name: 'Signed first' });
  });
});

describe('encrypted records', () => {
  it('opens a private record of a user this node holds the key of, indexed as private; counts one it cannot read as gone, not dead', async () => {
    const mine = signedPost(
      alice,
      'secret',
      post('Diary', { accessControl: { access_level: 'private', owner_public_key: alice.publicKey } }),
    );
    const theirs = signedPost(
      mallory,
      'secret',
      post('Hidden', { accessControl: { access_level: 'private', owner_public_key: mallory.publicKey } }),
    );
    expect(JSON.stringify(mine.wire)).not.toContain('Diary');
    await putAndRegister(gun, mine, 1000);
    await putAndRegister(gun, theirs, 1001);
    const w = await run.start({}, { keys: keysOf(alice) });
    await w.discoverNow();
    const c = await w.waitIdle(10_000);
    expect(c).toMatchObject({ indexed: 1, dead: 0, gone: 1, goneByReason: { encrypted_no_key: 1 } });
    const stored = await w.store.get(mine.did);
    expect(stored?.data.basic).toMatchObject({ name: 'Diary' });
    expect(await w.store.get(mine.did, { access: { viewerPublicKey: null } })).toBeNull();
    expect(await w.store.get(mine.did, { access: { viewerPublicKey: alice.publicKey } })).not.toBeNull();
    expect(await w.deadLetters.show(theirs.did)).toBeNull();
  });
});

describe('encrypted records, keys recovered from a mnemonic', () => {
  it('opens on another node the private record of a user who imported their mnemonic there (the key comes from the phrase, nothing public)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oip-trust-keys-'));
    const accounts = createSqliteAccountStore({ path: join(dir, 'accounts.sqlite') });
    try {
      const mine = signedPost(
        alice,
        'moved',
        post('Moved diary', { accessControl: { access_level: 'private', owner_public_key: alice.publicKey } }),
      );
      await putAndRegister(gun, mine, 1000);
      const secret = 'node-b-custody-secret-0123456789';
      const fast = { passwordHash: { memoryCost: 1024, timeCost: 1 }, secretKdf: { N: 2 ** 10, r: 8, p: 1 } };
      await new AccountService({ store: accounts, ...fast, custodySecret: secret }).register({
        email: 'alice@b.example.org',
        password: 'correct horse battery staple 42',
        mnemonic: alice.mnemonic,
      });
      const w = await run.start({}, { keys: new PublisherKeyring({ store: accounts, custodySecret: secret }) });
      await w.discoverNow();
      expect(await w.waitIdle(10_000)).toMatchObject({ indexed: 1, gone: 0 });
      expect((await w.store.get(mine.did, { access: { viewerPublicKey: alice.publicKey } }))?.data.basic).toMatchObject(
        { name: 'Moved diary' },
      );
    } finally {
      await accounts.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deletions', () => {
  it('applies a deletion signed by the owner; refuses a forged, a foreign and an unsigned one of a signed record, counted once each', async () => {
    const records = ['d1', 'd2', 'd3', 'd4'].map((id) => signedPost(alice, id, post(id)));
    for (const [i, r] of records.entries()) await putAndRegister(gun, r, 1000 + i);
    const w = await run.start();
    await w.discoverNow();
    expect(await w.waitIdle(10_000)).toMatchObject({ indexed: 4 });

    const [byOwner, byStranger, unsignedDel, forged] = records as [
      (typeof records)[0],
      (typeof records)[0],
      (typeof records)[0],
      (typeof records)[0],
    ];
    await putDeletion(gun, byOwner.did, alice);
    await putDeletion(gun, byStranger.did, mallory);
    await putDeletion(gun, unsignedDel.did, null);
    await putDeletion(gun, forged.did, alice, 1);
    // A valid signature over other bytes: the entry's time changed after signing.
    await gun.putSoul(`oip:deleted:records:${forged.did}`, { deletedAt: 2 });

    const report = await w.discoverNow();
    expect(report).toMatchObject({ deletionsApplied: 1, deletionsRefused: 3 });
    expect(await w.store.get(byOwner.did)).toBeNull();
    for (const r of [byStranger, unsignedDel, forged]) expect(await w.store.get(r.did)).not.toBeNull();
    const c = await w.counters();
    expect(c.deletionsRefused).toBe(3);
    expect(c.deletionsRefusedBy).toEqual({ 'not-soul-publisher': 1, 'unsigned-over-signed': 1, 'bad-signature': 1 });
    // The next pass neither applies nor counts them again.
    expect(await w.discoverNow()).toMatchObject({ deletionsApplied: 0, deletionsRefused: 0 });
    expect((await w.counters()).deletionsRefused).toBe(3);
  });

  it('keeps an unsigned deletion of a record not held here for an unsigned version only: a signed one arriving later is indexed', async () => {
    const signed = signedPost(alice, 'later', post('Signed later'));
    const legacyDid = `did:gun:${signed.soul.split(':')[0]}:legacy`;
    await putDeletion(gun, signed.did, null);
    await putDeletion(gun, legacyDid, null);
    const w = await run.start({ unsignedRecords: 'accept' });
    expect(await w.discoverNow()).toMatchObject({ deletionsApplied: 0, deletionsRefused: 0 });

    await putAndRegister(gun, signed, 1000);
    const legacy = signedPost(alice, 'legacy', post('Legacy'));
    const { signature: _s, sigScheme: _k, ...oip } = legacy.wire.oip;
    await putAndRegister(gun, { soul: legacy.soul, wire: { ...legacy.wire, oip } }, 1001);
    await w.discoverNow();
    const c = await w.waitIdle(10_000);
    expect(c).toMatchObject({ indexed: 1, gone: 1, goneByReason: { deleted_unsigned: 1 } });
    expect(await w.store.get(signed.did)).not.toBeNull();
    expect(await w.store.get(legacyDid)).toBeNull();
  });
});
