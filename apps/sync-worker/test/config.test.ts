import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONFIG_ERROR_CODE, ConfigError as KitConfigError } from '@oip/service-kit';
import { ConfigError, KNOWN_RECORD_TYPES, loadConfig, relayUrlFromPeer } from '../src/config.js';

describe('config', () => {
  it('has safe defaults: 5 min interval, local Redis, SQLite under .data/records, every known type', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      syncIntervalMs: 300_000,
      relays: ['http://127.0.0.1:8765'],
      store: { kind: 'sqlite', dataDir: '.data/records' },
      concurrency: 50,
      attempts: 5,
    });
    expect(c.recordTypes).toEqual([...KNOWN_RECORD_TYPES]);
  });

  it('accepts the legacy variable names and maps ws peers to the /gun-relay HTTP API', () => {
    const c = loadConfig({
      GUN_PEERS: 'ws://peer-a:8765/gun, http://peer-b:3005/gun-relay/',
      GUN_SYNC_INTERVAL: '900000',
      GUN_REGISTRY_ROOT: 'my:registry',
      GUN_NODE_ID_OVERRIDE: '0123456789abcdef',
      RECORD_TYPE_INDEX_MODE: 'blacklist',
      RECORD_TYPE_INDEX_BLACKLIST: 'conversationSession,image',
    });
    expect(c.relays).toEqual(['http://peer-a:8765/gun-relay', 'http://peer-b:3005/gun-relay']);
    expect(c).toMatchObject({
      syncIntervalMs: 900_000,
      registryRoot: 'my:registry',
      nodeId: '0123456789abcdef',
      recordTypeMode: 'blacklist',
    });
    expect(c.recordTypes).not.toContain('conversationSession');
    expect(c.recordTypes).toContain('workout');
    expect(
      loadConfig({ RECORD_TYPE_INDEX_MODE: 'whitelist', RECORD_TYPE_INDEX_WHITELIST: 'post,recipe' }).recordTypes,
    ).toEqual(['post', 'recipe']);
    expect(loadConfig({ SYNC_INTERVAL_MS: '60000', GUN_SYNC_INTERVAL: '900000' }).syncIntervalMs).toBe(60_000);
  });

  it('switches to Elasticsearch when ELASTICSEARCH_URL (or legacy ELASTICSEARCH_HOST) is set', () => {
    expect(
      loadConfig({
        ELASTICSEARCH_URL: 'http://es:9200',
        ELASTICSEARCH_USERNAME: 'elastic',
        ELASTICSEARCH_PASSWORD: 'pw',
      }).store,
    ).toEqual({
      kind: 'elasticsearch',
      url: 'http://es:9200',
      index: 'records',
      username: 'elastic',
      password: 'pw',
    });
    expect(
      loadConfig({ STORE_KIND: 'elasticsearch', ELASTICSEARCH_HOST: 'http://legacy-es:9200' }).store,
    ).toMatchObject({ url: 'http://legacy-es:9200' });
    expect(loadConfig({ ELASTICSEARCH_HOST: 'http://legacy-es:9200' }).store).toEqual({
      kind: 'elasticsearch',
      url: 'http://legacy-es:9200',
      index: 'records',
    });
    expect(loadConfig({ STORE_DATA_DIR: '/var/oip/records' }).store).toEqual({
      kind: 'sqlite',
      dataDir: '/var/oip/records',
    });
    expect(() => loadConfig({ STORE_KIND: 'mongo' })).toThrow(/STORE_KIND/);
  });

  it('maps peers the legacy way', () => {
    expect(relayUrlFromPeer('wss://relay.example:443/gun')).toBe('https://relay.example:443/gun-relay');
    expect(relayUrlFromPeer('http://127.0.0.1:8765/')).toBe('http://127.0.0.1:8765');
  });

  it('takes GUN_PEERS in the form gun-proxy prescribes (write token in the query), reporting the peer without it', () => {
    const c = loadConfig({ GUN_PEERS: 'ws://node-a.example:8765/gun?token=s3cret,wss://user:pw@node-b.example/gun#x' });
    expect(c.relays).toEqual(['http://node-a.example:8765/gun-relay', 'https://node-b.example/gun-relay']);
    expect(c.relayPeers).toEqual({
      'http://node-a.example:8765/gun-relay': 'ws://node-a.example:8765/gun',
      'https://node-b.example/gun-relay': 'wss://node-b.example/gun',
    });
    expect(JSON.stringify(c)).not.toMatch(/s3cret|pw@/);
  });

  it('accepts .env.example as shipped, with the defaults it documents', () => {
    const env = Object.fromEntries(
      readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(env).length).toBeGreaterThan(20);
    const c = loadConfig(env);
    expect(c).toEqual(loadConfig({}));
  });

  it('fails with one line naming the variable', () => {
    expect(() => loadConfig({ SYNC_CONCURRENCY: 'lots' })).toThrow(/SYNC_CONCURRENCY must be a number/);
    expect(() => loadConfig({ GUN_SYNC_INTERVAL: '10' })).toThrow(/GUN_SYNC_INTERVAL/);
    expect(() => loadConfig({ GUN_NODE_ID_OVERRIDE: 'nope' })).toThrow(/GUN_NODE_ID_OVERRIDE/);
    expect(() => loadConfig({ RECORD_TYPE_INDEX_MODE: 'whitelist' })).toThrow(/RECORD_TYPE_INDEX_WHITELIST/);
    expect(() => loadConfig({ SYNC_RELAYS: 'ftp://x' })).toThrow(ConfigError);
  });

  it('names the variable that was set, legacy alias included, in one line', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ GUN_SYNC_INTERVAL: '10' }, 'GUN_SYNC_INTERVAL'],
      [{ SYNC_INTERVAL_MS: '10', GUN_SYNC_INTERVAL: '900000' }, 'SYNC_INTERVAL_MS'],
      [{ SYNC_CONCURRENCY: '1.5' }, 'SYNC_CONCURRENCY'],
      [{ RECORD_TYPE_INDEX_MODE: 'greylist' }, 'RECORD_TYPE_INDEX_MODE'],
      [{ GUN_PEERS: 'ftp://x' }, 'GUN_PEERS'],
      [{ SYNC_DISCOVER_ON_START: 'maybe' }, 'SYNC_DISCOVER_ON_START'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ];
    for (const [env, variable] of cases) {
      let err: ConfigError | undefined;
      try {
        loadConfig(env);
      } catch (e) {
        err = e as ConfigError;
      }
      expect(err, JSON.stringify(env)).toBeInstanceOf(KitConfigError);
      expect(err).toMatchObject({ code: CONFIG_ERROR_CODE, variable });
      expect(err!.message).toContain(variable);
      expect(err!.message).not.toContain('\n');
    }
  });

  it('treats a blank variable as unset and compares the mode names without case', () => {
    expect(loadConfig({ SYNC_HEALTH_HOST: ' ', SYNC_CONCURRENCY: '', LOG_LEVEL: '' })).toEqual(loadConfig({}));
    expect(loadConfig({ RECORD_TYPE_INDEX_MODE: 'WhiteList', RECORD_TYPE_INDEX_WHITELIST: 'post' })).toMatchObject({
      recordTypeMode: 'whitelist',
      recordTypes: ['post'],
    });
  });

  it('reads an Elasticsearch API key into the store section', () => {
    expect(
      loadConfig({ ELASTICSEARCH_URL: 'http://es:9200', ELASTICSEARCH_API_KEY: 'a2V5OnNlY3JldA==' }).store,
    ).toEqual({
      kind: 'elasticsearch',
      url: 'http://es:9200',
      index: 'records',
      apiKey: 'a2V5OnNlY3JldA==',
    });
  });

  it("throws the service kit's ConfigError (code CONFIG_INVALID) with the variable named", () => {
    const err = (() => {
      try {
        loadConfig({ REDIS_URL: 'not a url' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('loadConfig accepted REDIS_URL="not a url"');
    })();
    expect(err).toBeInstanceOf(KitConfigError);
    expect(err.code).toBe(CONFIG_ERROR_CODE);
    expect(err.variable).toBe('REDIS_URL');
    expect(() => loadConfig({ SYNC_BATCH_SIZE: 'x' })).toThrow(
      expect.objectContaining({ variable: 'SYNC_BATCH_SIZE' }),
    );
  });
});
