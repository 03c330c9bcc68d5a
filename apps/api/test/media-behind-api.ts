// The api on a real port with a real apps/media behind its gateway, both on loopback, over one
// temp dir: media's files in `media/`, the api's SQLite store in `records/`. The accounts of
// `tokens` are seeded (the api checks a token's account before forwarding it to media).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createSqliteAccountStore } from '@oip/accounts';
import { buildApp as buildMedia, parseConfig as mediaConfig } from '@oip/media';
import { buildApp, parseConfig } from '../src/app.js';
import { seedAccounts } from './helpers.js';

export interface MediaBehindApi {
  dir: string;
  media: FastifyInstance;
  api: FastifyInstance;
  apiUrl: string;
  apiPort: number;
  /** Closes both and removes the temp dir. */
  close(): Promise<void>;
}

export async function startMediaBehindApi(
  dirPrefix: string,
  jwtSecret: string,
  tokens: string[],
  /** More api settings (e.g. publicUrl). */
  apiConfig: Record<string, unknown> = {},
): Promise<MediaBehindApi> {
  const dir = await mkdtemp(path.join(os.tmpdir(), dirPrefix));
  let media: FastifyInstance | undefined;
  let api: FastifyInstance | undefined;
  const close = async () => {
    await api?.close();
    await media?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    media = buildMedia(
      mediaConfig({
        port: 0,
        mediaDir: path.join(dir, 'media'),
        jwtSecret,
        logLevel: 'silent',
        relayPublish: false,
        maxEventLoopDelayMs: 0,
      }),
    );
    await media.listen({ port: 0, host: '127.0.0.1' });
    const mediaUrl = `http://127.0.0.1:${(media.server.address() as AddressInfo).port}`;
    const accounts = createSqliteAccountStore({ path: path.join(dir, 'records', 'accounts.sqlite') });
    await seedAccounts(accounts, tokens);
    await accounts.close();
    api = buildApp(
      parseConfig({
        store: { kind: 'sqlite', dataDir: path.join(dir, 'records') },
        mediaUrl,
        jwtSecret,
        logLevel: 'silent',
        maxEventLoopDelayMs: 0,
        ...apiConfig,
      }),
    );
    const apiUrl = await api.listen({ port: 0, host: '127.0.0.1' });
    const apiPort = (api.server.address() as AddressInfo).port;
    return { dir, media, api, apiUrl, apiPort, close };
  } catch (err) {
    await close();
    throw err;
  }
}
