import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { checkDeletionSignature, checkRecordSignature, signDeletion, signRecord, publisherHash } from '../src/index.js';

function keyPair(): { priv: string; pub: string } {
  const sk = secp256k1.utils.randomSecretKey();
  return { priv: Buffer.from(sk).toString('hex'), pub: Buffer.from(secp256k1.getPublicKey(sk, true)).toString('hex') };
}
const alice = keyPair();
const mallory = keyPair();
const soulOf = (pub: string, id: string): string => `${publisherHash(pub)}:${id}`;

function signed(pub: string, priv: string, soul: string) {
  const data = {
    basic: { name: 'Leg day', date: 1730505600, tagItems: ['legs', 'strength'] },
    workout: { exercise: ['did:gun:a:b'], n: 1.5 },
  };
  const oip = {
    ver: '0.8.0',
    recordType: 'workout',
    did: `did:gun:${soul}`,
    creator: { publicKey: pub, didAddress: 'did:gun:x' },
  };
  const meta = { created: 1, localId: null, encrypted: false };
  return { soul, data, oip: { ...oip, ...signRecord({ soul, data, oip, meta }, priv) }, meta };
}
/** As a relay hands it back: through JSON, keys in another order. */
const overTheWire = <T>(v: T): T =>
  JSON.parse(
    JSON.stringify(v, (_k, x: unknown) =>
      x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).reverse()) : x,
    ),
  ) as T;

describe('record signatures', () => {
  it('verifies a signed record after a trip through JSON with its keys reordered', () => {
    const r = overTheWire(signed(alice.pub, alice.priv, soulOf(alice.pub, 'w1')));
    expect(checkRecordSignature(r)).toEqual({ status: 'valid', publicKey: alice.pub });
  });

  it.each([
    [
      'a changed field',
      (r: ReturnType<typeof signed>) => {
        r.data.basic.name = 'Forged';
      },
    ],
    [
      'a reordered array',
      (r: ReturnType<typeof signed>) => {
        r.data.basic.tagItems.reverse();
      },
    ],
    [
      'a changed access meta field',
      (r: ReturnType<typeof signed>) => {
        (r.meta as Record<string, unknown>)['encrypted'] = true;
      },
    ],
    [
      'a changed oip field',
      (r: ReturnType<typeof signed>) => {
        r.oip.recordType = 'post';
      },
    ],
  ])('refuses %s as bad-signature', (_name, tamper) => {
    const r = signed(alice.pub, alice.priv, soulOf(alice.pub, 'w1'));
    tamper(r);
    expect(checkRecordSignature(r)).toEqual({ status: 'invalid', problem: 'bad-signature' });
  });

  it("refuses a record moved to another soul of the same publisher (bad-signature) and one signed by a key that is not the soul's publisher", () => {
    const moved = { ...signed(alice.pub, alice.priv, soulOf(alice.pub, 'w1')), soul: soulOf(alice.pub, 'w2') };
    expect(checkRecordSignature(moved)).toEqual({ status: 'invalid', problem: 'bad-signature' });
    // Mallory signs validly with her own key, names herself creator, and writes into Alice's soul space.
    expect(checkRecordSignature(signed(mallory.pub, mallory.priv, soulOf(alice.pub, 'w3')))).toEqual({
      status: 'invalid',
      problem: 'not-soul-publisher',
    });
    // Mallory names Alice as creator but cannot sign for her.
    const claim = signed(alice.pub, mallory.priv, soulOf(alice.pub, 'w4'));
    expect(checkRecordSignature(claim)).toEqual({ status: 'invalid', problem: 'bad-signature' });
  });

  it('calls a record without sigScheme unsigned, and an unknown scheme or a malformed signature invalid', () => {
    const r = signed(alice.pub, alice.priv, soulOf(alice.pub, 'w1'));
    const { signature: _s, sigScheme: _k, ...bare } = r.oip;
    expect(checkRecordSignature({ ...r, oip: bare })).toEqual({ status: 'unsigned' });
    expect(checkRecordSignature({ ...r, oip: { ...r.oip, sigScheme: 'rsa' } })).toEqual({
      status: 'invalid',
      problem: 'unknown-scheme',
    });
    expect(checkRecordSignature({ ...r, oip: { ...r.oip, signature: 'AAAA' } })).toEqual({
      status: 'invalid',
      problem: 'bad-signature',
    });
    expect(checkRecordSignature({ ...r, oip: { ...r.oip, creator: { publicKey: 'pk-alice' } } })).toEqual({
      status: 'invalid',
      problem: 'malformed',
    });
    // A key of the right form that is no point on the curve, at its own soul: refused, not thrown.
    const offCurve = `02${'00'.repeat(32)}`;
    const soul = soulOf(offCurve, 'w1');
    expect(checkRecordSignature({ ...r, soul, oip: { ...r.oip, creator: { publicKey: offCurve } } })).toEqual({
      status: 'invalid',
      problem: 'bad-signature',
    });
  });
});

describe('deletion signatures', () => {
  const did = `did:gun:${soulOf(alice.pub, 'w1')}`;
  const entry = (pub: string, priv: string, forDid = did) => {
    const d = { did: forDid, deletedAt: 1_700_000_000_000, deletedBy: pub };
    return { ...d, timestamp: new Date(d.deletedAt).toISOString(), ...signDeletion(d, priv) };
  };

  it("accepts a deletion signed by the soul's publisher and nothing else", () => {
    expect(checkDeletionSignature(overTheWire(entry(alice.pub, alice.priv)), did)).toEqual({
      status: 'valid',
      publicKey: alice.pub,
    });
    expect(checkDeletionSignature(entry(mallory.pub, mallory.priv), did)).toEqual({
      status: 'invalid',
      problem: 'not-soul-publisher',
    });
    expect(checkDeletionSignature({ ...entry(alice.pub, alice.priv), deletedAt: 1 }, did)).toEqual({
      status: 'invalid',
      problem: 'bad-signature',
    });
    expect(checkDeletionSignature(entry(alice.pub, alice.priv, `did:gun:${soulOf(alice.pub, 'other')}`), did)).toEqual({
      status: 'invalid',
      problem: 'malformed',
    });
    expect(checkDeletionSignature({ did, deletedAt: 1, deletedBy: alice.pub }, did)).toEqual({ status: 'unsigned' });
    expect(checkDeletionSignature(null, did)).toEqual({ status: 'unsigned' });
  });
});
