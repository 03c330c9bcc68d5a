import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import {
  KEY_SCHEME,
  checkRecordSignature,
  decryptData,
  encryptData,
  openGunRecordData,
  perUserRecordKey,
  sealGunRecord,
  publisherHash,
  type RecordKeySource,
} from '../src/index.js';

function keyPair(): { priv: string; pub: string } {
  const sk = secp256k1.utils.randomSecretKey();
  return { priv: Buffer.from(sk).toString('hex'), pub: Buffer.from(secp256k1.getPublicKey(sk, true)).toString('hex') };
}
const alice = keyPair();
const bob = keyPair();
const keysOf = (...owners: Array<{ priv: string; pub: string }>): RecordKeySource => {
  const byPub = new Map(owners.map((o) => [o.pub, o.priv]));
  return { privateKeyOf: async (pub) => byPub.get(pub) ?? null };
};
const oip = (pub: string) => ({
  ver: '0.8.0',
  recordType: 'post',
  creator: { publicKey: pub, didAddress: 'did:gun:x' },
});
const seal = (data: Record<string, unknown>, owner = alice) =>
  sealGunRecord({
    soul: `${publisherHash(owner.pub)}:p1`,
    data,
    oip: oip(owner.pub),
    meta: { created: 1, localId: 'p1' },
    publicKey: owner.pub,
    privateKeyHex: owner.priv,
  });

describe('sealGunRecord / openGunRecordData', () => {
  it('leaves public records readable and signs them', () => {
    const wire = seal({ basic: { name: 'hello' }, accessControl: { access_level: 'public' } });
    expect(wire.data).toEqual({ basic: { name: 'hello' }, accessControl: { access_level: 'public' } });
    expect(wire.meta).toMatchObject({ encrypted: false });
    expect(
      checkRecordSignature({ soul: `${publisherHash(alice.pub)}:p1`, ...JSON.parse(JSON.stringify(wire)) }),
    ).toMatchObject({ status: 'valid' });
  });

  it.each(['private', 'shared'])(
    "encrypts %s records under the owner's key: nothing of the data on the wire, the owner reads it back, no one else",
    async (level) => {
      const data = {
        basic: { name: 'my secret diary' },
        accessControl: { access_level: level, owner_public_key: alice.pub, shared_with: [bob.pub] },
      };
      const wire = JSON.parse(JSON.stringify(seal(data)));
      expect(JSON.stringify(wire)).not.toContain('diary');
      expect(wire.meta).toMatchObject({
        encrypted: true,
        encryptionMethod: 'aes-256-gcm',
        encryptionType: 'per-user',
        encryptedBy: alice.pub,
        keyScheme: KEY_SCHEME,
      });
      expect(Object.keys(wire.data).sort()).toEqual(['encrypted', 'iv', 'tag']);
      expect(checkRecordSignature({ soul: `${publisherHash(alice.pub)}:p1`, ...wire })).toMatchObject({
        status: 'valid',
      });
      expect(await openGunRecordData(wire, keysOf(alice))).toEqual({ kind: 'opened', data, readBy: alice.pub });
      expect(await openGunRecordData(wire, keysOf(bob))).toEqual({ kind: 'unreadable', reason: 'no-key' });
      // A key derived from anything public (the legacy fallback of the public key) does not open it.
      const fallback = pbkdf2Sync(alice.pub, 'oip-gun-fallback', 100_000, 32, 'sha256');
      expect(() => decryptData(wire.data, fallback)).toThrow(
        expect.objectContaining({ code: 'RECORDS_ERR_DECRYPT_FAILED' }),
      );
    },
  );

  it('encrypts organization records under a key per organization, and private conversation sessions as private', async () => {
    const org = 'did:gun:0123456789ab:fitness-org';
    const wire = seal({
      basic: { name: 'team plan' },
      accessControl: { access_level: 'organization', shared_with: [org] },
    });
    expect(wire.meta).toMatchObject({ encrypted: true, encryptionType: 'organization', encryptedForOrganization: org });
    expect(wire.meta).not.toHaveProperty('sharedWith');
    expect(await openGunRecordData(wire, keysOf(alice))).toMatchObject({
      kind: 'opened',
      data: { basic: { name: 'team plan' } },
    });
    const session = seal({
      basic: { name: 'chat' },
      conversationSession: { is_private: true, owner_public_key: alice.pub },
    });
    expect(session.meta).toMatchObject({ encrypted: true, encryptionType: 'per-user' });
  });

  it('opens a record a legacy node encrypted with its fallback key for a user with an account here', async () => {
    const data = {
      basic: { name: 'legacy private' },
      accessControl: { access_level: 'private', owner_public_key: alice.pub },
    };
    const key = pbkdf2Sync(alice.pub, 'oip-gun-fallback', 100_000, 32, 'sha256');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // Legacy stringifies the data, then JSON-encodes that string before encrypting.
    const encrypted = Buffer.concat([cipher.update(JSON.stringify(JSON.stringify(data)), 'utf8'), cipher.final()]);
    const node = {
      data: {
        encrypted: encrypted.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      },
      oip: oip(alice.pub),
      meta: { encrypted: true, encryptionMethod: 'aes-256-gcm', encryptionType: 'per-user', encryptedBy: alice.pub },
    };
    expect(await openGunRecordData(node, keysOf(alice))).toEqual({ kind: 'opened', data, readBy: alice.pub });
    expect(await openGunRecordData(node, keysOf(bob))).toEqual({ kind: 'unreadable', reason: 'no-key' });
  });

  it('says why it cannot read: wrong key, unsupported legacy organization envelope, malformed envelope', async () => {
    const wire = seal({ basic: { name: 'x' }, accessControl: { access_level: 'private' } });
    const stolen = { ...wire, data: encryptData({ other: 1 }, perUserRecordKey(bob.priv)) };
    expect(await openGunRecordData(stolen, keysOf(alice))).toEqual({ kind: 'unreadable', reason: 'wrong-key' });
    const legacyOrg = {
      ...wire,
      meta: { encrypted: true, encryptionType: 'organization', encryptedForOrganization: 'did:x' },
    };
    expect(await openGunRecordData(legacyOrg, keysOf(alice))).toEqual({ kind: 'unreadable', reason: 'unsupported' });
    const broken = { ...wire, data: { encrypted: 'AA', iv: 'AA', tag: 'AA' } };
    expect(await openGunRecordData(broken, keysOf(alice))).toEqual({ kind: 'unreadable', reason: 'unsupported' });
    expect(await openGunRecordData({ data: {}, oip: {}, meta: { encrypted: false } }, keysOf(alice))).toEqual({
      kind: 'plain',
    });
  });
});
