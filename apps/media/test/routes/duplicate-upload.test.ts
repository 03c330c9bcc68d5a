// The same bytes uploaded by two users, through the real routes with the node's JWTs, in both
// orders. The second uploader is answered with their own view (their key, their file name, their
// access level, duplicate: false) and never learns the first uploader's key or file name, nor that
// anyone had the file; they read the bytes and their own manifest, never the first uploader's
// private one. Two users uploading the same public meme both succeed. A private view is never
// published to the relay; a later public upload of privately held bytes publishes only its own.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FormData, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { GunClient } from '@oip/gun-client';
import { startGunProxy } from '@oip/gun-proxy/testing';
import { bearer, sha256, useMedia } from '../helpers.js';

const start = useMedia();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const ALICE = bearer('pk-alice-0123456789abcdef');
const BOB = bearer('pk-bob-fedcba9876543210');
const CAROL = bearer('pk-carol-55555');

async function upload(
  url: string,
  authorization: string,
  bytes: Buffer,
  name: string,
  accessLevel: 'public' | 'private',
) {
  const form = new FormData();
  form.append('access_level', accessLevel);
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), name);
  const res = await request(`${url}/api/media/upload`, { method: 'POST', body: form, headers: { authorization } });
  const text = await res.body.text();
  return { status: res.statusCode, text, json: JSON.parse(text) as Record<string, unknown> };
}

async function get(url: string, authorization?: string) {
  const res = await request(url, { headers: authorization ? { authorization } : {} });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, body, text: body.toString('utf8'), cacheControl: res.headers['cache-control'] };
}

/** Nothing in `text` names Alice's key or her file name. */
function expectNothingOfAlice(text: string): void {
  expect(text).not.toContain('pk-alice');
  expect(text).not.toContain('alice-secret');
}

describe('the same bytes uploaded by two users', () => {
  it("private, then another user (private): each has their own view; the second learns nothing of the first and cannot read the first's manifest", async () => {
    const m = await start();
    const bytes = randomBytes(4000);
    const id = sha256(bytes);
    const first = await upload(m.url, ALICE, bytes, 'alice-secret.pdf', 'private');
    expect(first.json).toMatchObject({
      mediaId: id,
      owner: 'pk-alice-0123456789abcdef',
      originalName: 'alice-secret.pdf',
      access_level: 'private',
      duplicate: false,
    });
    const aliceManifest = await readFile(path.join(m.dir, id, 'manifest.json'), 'utf8');

    const second = await upload(m.url, BOB, bytes, 'bob-copy.pdf', 'private');
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({
      mediaId: id,
      owner: 'pk-bob-fedcba9876543210',
      originalName: 'bob-copy.pdf',
      access_level: 'private',
      duplicate: false,
      mime: 'application/pdf',
      size: 4000,
    });
    expectNothingOfAlice(second.text);
    // Bob's own second upload is his duplicate: his first view is kept.
    const again = await upload(m.url, BOB, bytes, 'renamed.pdf', 'public');
    expect(again.json).toMatchObject({
      owner: 'pk-bob-fedcba9876543210',
      originalName: 'bob-copy.pdf',
      access_level: 'private',
      duplicate: true,
    });
    expectNothingOfAlice(again.text);

    // Bob reads the bytes and his own view; never Alice's.
    const bobFile = await get(`${m.url}/api/media/${id}`, BOB);
    expect([bobFile.status, bobFile.body.equals(bytes), bobFile.cacheControl]).toEqual([
      200,
      true,
      'private, no-store',
    ]);
    const bobInfo = await get(`${m.url}/api/media/${id}/info`, BOB);
    expect(bobInfo.status).toBe(200);
    expect(JSON.parse(bobInfo.text)).toMatchObject({
      mediaId: id,
      userPublicKey: 'pk-bob-fedcba9876543210',
      originalName: 'bob-copy.pdf',
      accessLevel: 'private',
    });
    expectNothingOfAlice(bobInfo.text);
    // Alice still has hers, unchanged on disk.
    expect(JSON.parse((await get(`${m.url}/api/media/${id}/info`, ALICE)).text)).toMatchObject({
      userPublicKey: 'pk-alice-0123456789abcdef',
      originalName: 'alice-secret.pdf',
    });
    expect(await readFile(path.join(m.dir, id, 'manifest.json'), 'utf8')).toBe(aliceManifest);
    // Anyone else: as if the id were not here.
    for (const who of [undefined, CAROL]) {
      for (const suffix of ['', '/info'])
        expect((await get(`${m.url}/api/media/${id}${suffix}`, who)).status).toBe(404);
    }
  });

  it('private, then another user (public): the bytes become public under the second view only; the first stays private and unpublished', async () => {
    const { proxy, client } = await relay();
    const m = await start({ relayPublish: true, relayUrl: proxy.url });
    const bytes = randomBytes(3000);
    const id = sha256(bytes);
    await upload(m.url, ALICE, bytes, 'alice-secret.pdf', 'private');
    await m.app.announcer!.settled();
    expect(await client.getMediaManifest(id)).toBeNull();

    const second = await upload(m.url, BOB, bytes, 'bob-public.pdf', 'public');
    expect(second.json).toMatchObject({
      owner: 'pk-bob-fedcba9876543210',
      originalName: 'bob-public.pdf',
      access_level: 'public',
      duplicate: false,
    });
    expectNothingOfAlice(second.text);
    await m.app.announcer!.settled();
    const published = await client.getMediaManifest(id);
    expect(published).toMatchObject({
      mediaId: id,
      userPublicKey: 'pk-bob-fedcba9876543210',
      originalName: 'bob-public.pdf',
      accessLevel: 'public',
    });
    expectNothingOfAlice(JSON.stringify(published));

    // Anyone reads the bytes (cacheable) and the public view, which is Bob's.
    const anon = await get(`${m.url}/api/media/${id}`);
    expect([anon.status, anon.body.equals(bytes), anon.cacheControl]).toEqual([
      200,
      true,
      'public, max-age=31536000, immutable',
    ]);
    const anonInfo = await get(`${m.url}/api/media/${id}/info`);
    expect(JSON.parse(anonInfo.text)).toMatchObject({
      userPublicKey: 'pk-bob-fedcba9876543210',
      accessLevel: 'public',
    });
    expectNothingOfAlice(anonInfo.text);
    expectNothingOfAlice((await get(`${m.url}/api/media/${id}/info`, CAROL)).text);
    // Alice's own view is still hers and private.
    expect(JSON.parse((await get(`${m.url}/api/media/${id}/info`, ALICE)).text)).toMatchObject({
      userPublicKey: 'pk-alice-0123456789abcdef',
      originalName: 'alice-secret.pdf',
      accessLevel: 'private',
    });
  });

  it('public, then another user (public or private): both succeed, each with their own view; the bytes stay public', async () => {
    const m = await start();
    const bytes = randomBytes(2500);
    const id = sha256(bytes);
    const first = await upload(m.url, ALICE, bytes, 'meme.png', 'public');
    expect(first.json).toMatchObject({
      owner: 'pk-alice-0123456789abcdef',
      originalName: 'meme.png',
      access_level: 'public',
      duplicate: false,
    });
    const bob = await upload(m.url, BOB, bytes, 'my-meme.png', 'public');
    expect(bob.status).toBe(200);
    expect(bob.json).toMatchObject({
      owner: 'pk-bob-fedcba9876543210',
      originalName: 'my-meme.png',
      access_level: 'public',
      duplicate: false,
    });
    expect(bob.text).not.toContain('pk-alice');
    const carol = await upload(m.url, CAROL, bytes, 'carol.png', 'private');
    expect(carol.json).toMatchObject({
      owner: 'pk-carol-55555',
      originalName: 'carol.png',
      access_level: 'private',
      duplicate: false,
    });
    expect(carol.text).not.toContain('pk-alice');

    // Each reads their own view (what POST /api/media/createRecord checks the owner against).
    for (const [who, key, name] of [
      [ALICE, 'pk-alice-0123456789abcdef', 'meme.png'],
      [BOB, 'pk-bob-fedcba9876543210', 'my-meme.png'],
      [CAROL, 'pk-carol-55555', 'carol.png'],
    ] as const) {
      expect(JSON.parse((await get(`${m.url}/api/media/${id}/info`, who)).text)).toMatchObject({
        userPublicKey: key,
        originalName: name,
      });
    }
    // Public bytes for anyone; the public view is the first public upload's.
    expect((await get(`${m.url}/api/media/${id}`)).body.equals(bytes)).toBe(true);
    expect(JSON.parse((await get(`${m.url}/api/media/${id}/info`)).text)).toMatchObject({
      userPublicKey: 'pk-alice-0123456789abcdef',
      accessLevel: 'public',
    });
  });

  it("concurrent first uploads of one file by several users: one stored file, every answer the caller's own", async () => {
    const m = await start();
    const bytes = randomBytes(30_000);
    const users = Array.from({ length: 6 }, (_, i) => `pk-user-${i}`);
    const answers = await Promise.all(
      users.map((u, i) => upload(m.url, bearer(u), bytes, `file-${i}.pdf`, i % 2 === 0 ? 'private' : 'public')),
    );
    expect(answers.map((a) => [a.status, a.json['owner'], a.json['originalName'], a.json['duplicate']])).toEqual(
      users.map((u, i) => [200, u, `file-${i}.pdf`, false]),
    );
    for (const [i, u] of users.entries()) {
      expect(JSON.parse((await get(`${m.url}/api/media/${sha256(bytes)}/info`, bearer(u))).text)).toMatchObject({
        userPublicKey: u,
        originalName: `file-${i}.pdf`,
      });
    }
  });
});

async function relay() {
  const proxy = await startGunProxy();
  closers.push(() => proxy.close());
  const client = new GunClient({ baseUrl: proxy.url, negativeCache: false });
  closers.push(() => client.close());
  return { proxy, client };
}
