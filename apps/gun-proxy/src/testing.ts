// @oip/gun-proxy/testing: startGunProxy(), a real gun-proxy on 127.0.0.1:0 with a temp data dir, for
// tests and benchmarks (ours and other workspaces'). close() stops it and removes the temp dir.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { parseConfig, type Config } from './config.js';
import { buildApp } from './app.js';
import type { GraphStore } from './gun/graph-store.js';

export interface StartedGunProxy {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Websocket peering URL, e.g. `ws://127.0.0.1:41234/gun` (put it in another proxy's `peers`). */
  wsUrl: string;
  app: FastifyInstance;
  config: Config;
  /** The GUN graph store, for tests and benchmarks that seed large graphs directly. */
  graph: GraphStore;
  close(): Promise<void>;
}

/** Starts a gun-proxy; `overrides` are Config fields (defaults: port 0, silent logs, temp data dir). */
export async function startGunProxy(overrides: Partial<Config> = {}): Promise<StartedGunProxy> {
  const tempDir = overrides.dataDir ? undefined : await mkdtemp(path.join(os.tmpdir(), 'gun-proxy-'));
  const config = parseConfig({ port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir: tempDir, ...overrides });
  const app = buildApp(config);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    throw err;
  }
  const { port } = app.server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}${config.wsPath}`,
    app,
    config,
    graph: app.gunPeer.store,
    close: () =>
      (closed ??= (async () => {
        await app.close();
        if (tempDir) await rm(tempDir, { recursive: true, force: true });
      })()),
  };
}
