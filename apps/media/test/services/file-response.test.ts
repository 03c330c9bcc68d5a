// What @fastify/send does on its own with the Range headers the issue names, and what our
// adaptation hands it instead (the route tests check the answers end to end).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import send from '@fastify/send';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptedHeaders, contentTypeOf, normaliseRange } from '../../src/services/file-response.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'send-defaults-'));
  await writeFile(path.join(dir, 'f'), Buffer.alloc(1000, 1));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sendStatus(range: string): Promise<number> {
  const res = await send({ method: 'GET', headers: { range } } as unknown as Readable, '/f', { root: dir });
  res.stream.destroy();
  return res.statusCode;
}

describe('@fastify/send on its own', () => {
  it('answers 416 for malformed ranges and for a suffix longer than the file, 206 for overlapping multiple ranges', async () => {
    expect(await sendStatus('bytes=abc')).toBe(416);
    expect(await sendStatus('bytes=5-2')).toBe(416);
    expect(await sendStatus('bytes=-5000')).toBe(416);
    expect(await sendStatus('bytes=0-1,2-3')).toBe(206);
    // These it already answers as required.
    expect(await sendStatus('bytes=0-1,5-6')).toBe(200);
    expect(await sendStatus('bytes=1000-')).toBe(416);
    expect(await sendStatus('bytes=1x-2')).toBe(206);
  });
});

describe('our adaptation', () => {
  it('hands send one well-formed byte-range-spec or none', () => {
    expect(normaliseRange('bytes=0-0', 1000)).toBe('bytes=0-0');
    expect(normaliseRange('bytes=990-', 1000)).toBe('bytes=990-');
    expect(normaliseRange('bytes=-10', 1000)).toBe('bytes=-10');
    expect(normaliseRange('bytes=-5000', 1000)).toBe('bytes=0-');
    expect(normaliseRange('bytes=2000-', 1000)).toBe('bytes=2000-');
    for (const bad of [
      'bytes=abc',
      'bytes=5-2',
      'bytes=0-1,2-3',
      'bytes=0-1,5-6',
      'bytes=1x-2',
      'bytes=',
      'bytes=-',
      'items=0-1',
      ' bytes=0-1',
    ]) {
      expect(normaliseRange(bad, 1000), bad).toBeUndefined();
    }
  });

  it('turns our ETag in If-None-Match / If-Match / If-Range into what send understands', () => {
    const etag = `"${'a'.repeat(64)}"`;
    expect(adaptedHeaders({ 'if-none-match': `W/${etag}`, 'if-modified-since': 'x' }, etag, 10)).toEqual({
      'if-none-match': '*',
    });
    expect(adaptedHeaders({ 'if-none-match': '"b"', 'if-modified-since': 'x' }, etag, 10)).toEqual({});
    expect(adaptedHeaders({ 'if-match': etag }, etag, 10)).toEqual({});
    expect(adaptedHeaders({ 'if-match': `W/${etag}` }, etag, 10)).toEqual({ 'if-match': `W/${etag}` });
    expect(adaptedHeaders({ range: 'bytes=0-1', 'if-range': etag }, etag, 10)).toEqual({ range: 'bytes=0-1' });
    expect(adaptedHeaders({ range: 'bytes=0-1', 'if-range': '"b"' }, etag, 10)).toEqual({});
  });

  it('sends only well-formed content types', () => {
    expect(contentTypeOf('video/mp4')).toBe('video/mp4');
    expect(contentTypeOf('text/plain; charset=utf-8')).toBe('text/plain; charset=utf-8');
    expect(contentTypeOf('text/html\r\nSet-Cookie: a=b')).toBe('application/octet-stream');
    expect(contentTypeOf(undefined)).toBe('application/octet-stream');
  });
});
