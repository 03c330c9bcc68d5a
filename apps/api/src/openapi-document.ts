// The api's OpenAPI document as the running api serves it at /docs/json, built from an app that
// never listens (a throwaway SQLite store, no relay, no Redis): `pnpm --filter @oip/api run openapi`
// writes it to docs/reference/openapi.json, and a test checks that file against this.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp, parseConfig } from './app.js';

/** The document /docs/json answers (as JSON: no TypeBox symbols), from an app built with a neutral config. */
export async function buildOpenapiDocument(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oip-openapi-'));
  const config = parseConfig({
    store: { kind: 'sqlite', dataDir: dir },
    // Nothing listens there: the document is built without a relay, media service or Redis.
    relayUrl: 'http://127.0.0.1:9',
    mediaUrl: 'http://127.0.0.1:9',
    redisUrl: 'redis://127.0.0.1:9',
    logLevel: 'silent',
  });
  const app = buildApp(config);
  try {
    await app.ready();
    return JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>;
  } finally {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
}
