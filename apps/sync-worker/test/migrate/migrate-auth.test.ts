// The legacy node's credentials: from the flags, from the URL's user info, or from
// MIGRATE_ELASTICSEARCH_* in the config when the flags give none; never printed. A loopback HTTP
// server stands in for the legacy Elasticsearch and records the Authorization header of the
// command's first request (it answers that the records index does not exist, so the run stops there).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { runMigrateCli } from '../../src/migrate/migrate-cli.js';
import { captureIo } from '../helpers/cli-io.js';
import { REDIS_URL, createTestEnv, type TestEnv } from '../helpers/env.js';

describe('oip migrate records: legacy credentials', () => {
  let server: Server;
  let url: string;
  let env: TestEnv;
  const seen: Array<string | undefined> = [];

  beforeEach(async () => {
    seen.length = 0;
    env = await createTestEnv();
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(404, { 'x-elastic-product': 'Elasticsearch', 'content-type': 'application/json' });
      res.end('{}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.close();
    await once(server, 'close');
    await env.cleanup();
  });

  async function run(env2: Record<string, string | undefined>, flags: string[], from = url) {
    const config = loadConfig({
      REDIS_URL,
      SYNC_QUEUE_PREFIX: env.prefix,
      STORE_KIND: 'sqlite',
      STORE_DATA_DIR: join(env.dir, 'records'),
      ...env2,
    });
    const t = captureIo();
    const code = await runMigrateCli(['migrate', 'records', '--from-elasticsearch', from, ...flags], config, t.io, {
      isTTY: false,
      write: () => {},
    });
    return { code, text: [...t.out, ...t.err].join('\n') };
  }

  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  it.each([
    {
      name: 'flags',
      env: {},
      flags: ['--username', 'elastic', '--password', 's3cret-flag'],
      auth: basic('elastic', 's3cret-flag'),
    },
    { name: 'API key flag', env: {}, flags: ['--api-key', 'a2V5LWZsYWc='], auth: 'ApiKey a2V5LWZsYWc=' },
    {
      name: 'config when no flag',
      env: { MIGRATE_ELASTICSEARCH_USERNAME: 'legacy', MIGRATE_ELASTICSEARCH_PASSWORD: 's3cret-env' },
      flags: [],
      auth: basic('legacy', 's3cret-env'),
    },
    {
      name: 'config API key',
      env: { MIGRATE_ELASTICSEARCH_API_KEY: 'a2V5LWVudg==' },
      flags: [],
      auth: 'ApiKey a2V5LWVudg==',
    },
    {
      name: 'flags over config',
      env: { MIGRATE_ELASTICSEARCH_API_KEY: 'a2V5LWVudg==' },
      flags: ['--username', 'u', '--password', 'p'],
      auth: basic('u', 'p'),
    },
    { name: 'none', env: {}, flags: [], auth: undefined },
  ])('$name', async ({ env: vars, flags, auth }) => {
    const { code, text } = await run(vars, flags);
    expect(code).toBe(1);
    expect(text).toContain('does not exist');
    expect(seen[0]).toBe(auth);
    expect(text).not.toMatch(/s3cret|a2V5/);
  });

  it('takes user info from the URL and prints the URL without it', async () => {
    const withCreds = url.replace('http://', 'http://elastic:s3cret-url@');
    const { text } = await run({}, [], withCreds);
    expect(seen[0]).toBe(basic('elastic', 's3cret-url'));
    expect(text).not.toContain('s3cret');
  });
});
