// A real media server on 127.0.0.1:0 over a temp media directory; tokens signed independently
// (node:crypto); fixtures written straight to disk in the legacy layout; raw HTTP over a socket.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import type { GunClient } from '@oip/gun-client';
import { signToken } from '@oip/service-kit/testing';
import { buildApp, parseConfig, type AppDeps, type Config } from '../src/app.js';

export const SECRET = 'media-test-secret-0123456789';

export function bearer(publicKey: string, extra: Record<string, unknown> = {}): string {
  return `Bearer ${signToken({ userId: `u-${publicKey}`, email: `${publicKey}@example.org`, publicKey, ...extra }, SECRET)}`;
}

export interface TestMedia {
  app: FastifyInstance;
  url: string;
  port: number;
  /** The media directory (MEDIA_DIR). */
  dir: string;
  config: Config;
}

/** Starts media servers for a test file; each is closed and its directory removed after each test. */
export function useMedia(): (overrides?: Partial<Config>, deps?: AppDeps) => Promise<TestMedia> {
  const open: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close();
  });
  return async (overrides = {}, deps = {}) => {
    const dir = overrides.mediaDir ?? (await mkdtemp(path.join(os.tmpdir(), 'media-test-')));
    open.push(() => rm(dir, { recursive: true, force: true }));
    const config = parseConfig({
      port: 0,
      mediaDir: dir,
      jwtSecret: SECRET,
      logLevel: 'silent',
      relayPublish: false,
      // Event-loop shedding is memory-guard's to test; a loaded test box must not shed these requests.
      maxEventLoopDelayMs: 0,
      ...overrides,
    });
    const app = buildApp(config, deps);
    open.push(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return { app, url: `http://127.0.0.1:${port}`, port, dir, config };
  };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes 0..n-1 with a pattern that makes every offset recognisable. */
export function patternBytes(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

/** Writes `<dir>/<sha256>/original` and its manifest (fields overridable; `accessLevel: undefined` removes it). */
export async function putMedia(dir: string, bytes: Buffer, manifest: Record<string, unknown> = {}): Promise<string> {
  const mediaId = sha256(bytes);
  await mkdir(path.join(dir, mediaId), { recursive: true });
  await writeFile(path.join(dir, mediaId, 'original'), bytes);
  const m: Record<string, unknown> = {
    mediaId,
    originalName: 'clip.mp4',
    mimeType: 'video/mp4',
    fileSize: bytes.length,
    httpUrl: `http://media.example/api/media/${mediaId}`,
    createdAt: '2026-01-02T03:04:05.000Z',
    userPublicKey: 'pk-owner',
    accessLevel: 'public',
    ...manifest,
  };
  for (const [k, v] of Object.entries(m)) if (v === undefined) delete m[k];
  await writeFile(path.join(dir, mediaId, 'manifest.json'), JSON.stringify(m));
  return mediaId;
}

/** Puts in GUN the manifest of public `bytes` (a video of `pk-owner`), as an uploading node would; its mediaId. */
export async function putPublicManifest(gun: GunClient, bytes: Buffer): Promise<string> {
  const mediaId = sha256(bytes);
  await gun.putMediaManifest({
    media: { id: mediaId },
    mediaId,
    mimeType: 'video/mp4',
    fileSize: bytes.length,
    accessLevel: 'public',
    userPublicKey: 'pk-owner',
  });
  return mediaId;
}

/** Names in the directory (recursively, relative), for "nothing was left behind" checks. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    out.push(path.relative(dir, path.join(e.parentPath, e.name)));
  }
  return out.sort();
}

/** A multipart body as parts around a file's bytes (for requests written by hand). */
export function multipart(
  boundary: string,
  fields: Record<string, string>,
  file?: { name?: string; field?: string; type?: string; bytes: Buffer },
): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name ?? 'upload.bin'}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}
