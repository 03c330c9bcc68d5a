import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildRecordSoul,
  deletionSoul,
  didFromSoul,
  isDref,
  mediaIdOf,
  mediaPresenceSoul,
  parseRecordSoul,
  publisherHash,
  registryIndexSoul,
  registryNodeSoul,
  soulFromDid,
  CONTROL_CHARS,
  keyProblem,
  MAX_SOUL_LENGTH,
  mediaIdProblem,
  reservedKeyProblem,
  reservedSoulProblem,
  soulProblem,
} from '../src/index.js';

describe('souls and DIDs in the legacy formats', () => {
  it('round-trips the reference examples', () => {
    const did = 'did:gun:647f79c2a338:workout-2024-11-02';
    expect(soulFromDid(did)).toBe('647f79c2a338:workout-2024-11-02');
    expect(didFromSoul(soulFromDid(did)!)).toBe(did);
    expect(soulFromDid('did:gun:647f79c2a338:h:0123456789ab')).toBe('647f79c2a338:h:0123456789ab');
    expect(soulFromDid('did:arweave:Xy12')).toBeNull();
    expect(soulFromDid('did:gun:')).toBeNull();
    expect(isDref('did:arweave:Xy12')).toBe(true);
    expect(isDref('plain')).toBe(false);
  });

  it('derives the publisher hash as the first 12 hex chars of sha256(publicKey)', () => {
    const pk = '02a1b2c3d4';
    expect(publisherHash(pk)).toBe(createHash('sha256').update(pk).digest('hex').slice(0, 12));
    expect(publisherHash(pk)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('builds local-id, content-hash and time souls and parses them back', () => {
    const pk = 'key';
    const ph = publisherHash(pk);
    expect(buildRecordSoul({ publisherPublicKey: pk, localId: 'morning-push' })).toBe(`${ph}:morning-push`);
    const record = { basic: { name: 'x', date: 1730505600 }, recordType: 'post' };
    const fixed = { now: () => 1730505600000, random: () => 'r1' };
    const h = buildRecordSoul({ publisherPublicKey: pk, record, ...fixed });
    expect(h).toMatch(new RegExp(`^${ph}:h:[0-9a-f]{12}$`));
    // The hash is legacy's: sha256 of name, date, recordType, timestamp and random, keys sorted.
    const legacyString = JSON.stringify({
      date: 1730505600,
      name: 'x',
      random: 'r1',
      recordType: 'post',
      timestamp: 1730505600000,
    });
    expect(h).toBe(`${ph}:h:${createHash('sha256').update(legacyString).digest('hex').slice(0, 12)}`);
    // Any other timestamp or random part gives another soul.
    expect(buildRecordSoul({ publisherPublicKey: pk, record, now: fixed.now, random: () => 'r2' })).not.toBe(h);
    expect(
      buildRecordSoul({ publisherPublicKey: pk, record, now: () => 1730505600001, random: fixed.random }),
    ).not.toBe(h);
    expect(buildRecordSoul({ publisherPublicKey: pk, now: () => 1730505600000 })).toBe(
      `${ph}:t:${(1730505600000).toString(36)}`,
    );
    expect(parseRecordSoul(`${ph}:morning-push`)).toEqual({ publisherHash: ph, kind: 'local', id: 'morning-push' });
    expect(parseRecordSoul(h)?.kind).toBe('hash');
    expect(parseRecordSoul('not-a-soul')).toBeNull();
  });

  it('gives every publish without a localId its own soul, even for identical records in one millisecond', () => {
    const record = { basic: { name: 'same', date: 1 }, post: { articleText: 'a' }, recordType: 'post' };
    const souls = new Set(
      Array.from({ length: 1000 }, () => buildRecordSoul({ publisherPublicKey: 'k', record, now: () => 5 })),
    );
    expect(souls.size).toBe(1000);
  });

  it('names registry, deletion and media souls', () => {
    expect(registryIndexSoul('workout')).toBe('oip:registry:index:workout');
    expect(registryIndexSoul('workout', 'custom:root')).toBe('custom:root:index:workout');
    expect(registryNodeSoul('0123456789abcdef', '647f79c2a338:a')).toBe(
      'oip:registry:nodes:0123456789abcdef:647f79c2a338:a',
    );
    expect(deletionSoul('did:gun:abc:1')).toBe('oip:deleted:records:did:gun:abc:1');
    const id = mediaIdOf(Buffer.from('hello'));
    expect(id).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(mediaPresenceSoul(id, 'p1')).toBe(`media:${id}:peers:p1`);
  });
});

describe('the one soul rule set', () => {
  it('refuses empty, over-long, whitespace/control, user-space and lone-surrogate souls; reserved names apart', () => {
    expect(soulProblem('647f79c2a338:workout-2024-11-02')).toBeNull();
    expect(soulProblem('a'.repeat(MAX_SOUL_LENGTH))).toBeNull();
    expect(soulProblem('a'.repeat(MAX_SOUL_LENGTH + 1))).toMatch(/longer than 512/);
    for (const bad of ['', 'a b', 'a\u0000b', 'a\u0085b', 'a\u2028b', '~user', 'a\uD800b'])
      expect(soulProblem(bad), JSON.stringify(bad)).not.toBeNull();
    expect(reservedSoulProblem('__proto__')).toMatch(/reserved/);
    expect(reservedSoulProblem('hasOwnProperty')).toMatch(/reserved/);
    expect(reservedSoulProblem('abc:1')).toBeNull();
  });

  it('applies the same length and control-character rules to keys, and the relay media id rule', () => {
    expect(keyProblem('name')).toBeNull();
    expect(keyProblem('with space')).toBeNull();
    for (const bad of ['_', '#', '>', '<', '__proto__', 'k'.repeat(MAX_SOUL_LENGTH + 1), 'a\u009fb'])
      expect(keyProblem(bad), bad).not.toBeNull();
    expect(CONTROL_CHARS.test('\u007f')).toBe(true);
    expect(reservedKeyProblem('constructor')).toBeNull();
    expect(mediaIdProblem('a'.repeat(64))).toBeNull();
    for (const bad of ['m1:peers:p1', 'm1/peers', '', 'x'.repeat(129)]) expect(mediaIdProblem(bad), bad).not.toBeNull();
  });
});
