// The GUN store directory is 0700 and graph.sqlite with its -wal and -shm 0600, whether the relay
// creates them or finds them world-readable (a store written before this rule).
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGunProxy, type StartedGunProxy } from '../../src/testing.js';

let root: string;
let relay: StartedGunProxy | undefined;
const mode = (p: string): number => statSync(p).mode & 0o777;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'gun-modes-'));
});
afterEach(async () => {
  await relay?.close();
  relay = undefined;
  rmSync(root, { recursive: true, force: true });
});

async function startAndPut(dataDir: string): Promise<Record<string, number>> {
  relay = await startGunProxy({ dataDir });
  const res = await fetch(`${relay.url}/put`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ soul: 'modes:test', data: { a: 1 } }),
  });
  expect(res.status).toBe(200);
  const db = path.join(dataDir, 'graph.sqlite');
  return { dir: mode(dataDir), db: mode(db), wal: mode(`${db}-wal`), shm: mode(`${db}-shm`) };
}

describe('gun-proxy data directory modes', () => {
  it('creates the directory 0700 and graph.sqlite, -wal and -shm 0600', async () => {
    expect(await startAndPut(path.join(root, '.data', 'gun-proxy'))).toEqual({
      dir: 0o700,
      db: 0o600,
      wal: 0o600,
      shm: 0o600,
    });
  });

  it('tightens a world-readable directory and graph.sqlite at start, keeping the graph', async () => {
    const dataDir = path.join(root, 'gun-proxy');
    await startAndPut(dataDir);
    await relay!.close();
    relay = undefined;
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'graph.sqlite'), 0o644);
    expect(await startAndPut(dataDir)).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
    const got = await fetch(`${relay!.url}/get?soul=modes:test`);
    expect(got.status).toBe(200);
    expect(JSON.stringify(await got.json())).toContain('"a":1');
  });
});
