// The shared store section of app configs: which variables pick which backend, and the schema.
import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { StoreConfigSchema, storeConfigFromEnv } from '../src/index.js';

describe('storeConfigFromEnv', () => {
  it('defaults to sqlite in .data/records', () => {
    expect(storeConfigFromEnv({})).toEqual({ kind: 'sqlite', dataDir: '.data/records' });
  });

  it('reads the prefixed data-dir variable before STORE_DATA_DIR, and resolves it', () => {
    const opts = { dataDirVar: 'API_STORE_DATA_DIR', resolveDataDir: (d: string) => `/base/${d}` };
    expect(storeConfigFromEnv({ STORE_DATA_DIR: 'shared', API_STORE_DATA_DIR: 'mine' }, opts)).toEqual({
      kind: 'sqlite',
      dataDir: '/base/mine',
    });
    expect(storeConfigFromEnv({ STORE_DATA_DIR: 'shared', API_STORE_DATA_DIR: '  ' }, opts)).toEqual({
      kind: 'sqlite',
      dataDir: '/base/shared',
    });
  });

  it('an ELASTICSEARCH_URL (or legacy ELASTICSEARCH_HOST) selects elasticsearch with its index and credentials', () => {
    expect(storeConfigFromEnv({ ELASTICSEARCH_HOST: 'http://es:9200' })).toEqual({
      kind: 'elasticsearch',
      url: 'http://es:9200',
      index: 'records',
    });
    expect(
      storeConfigFromEnv({
        ELASTICSEARCH_URL: 'https://a:9200',
        ELASTICSEARCH_HOST: 'http://b:9200',
        ELASTICSEARCH_INDEX: 'oip',
        ELASTICSEARCH_USERNAME: 'u',
        ELASTICSEARCH_PASSWORD: 'p',
      }),
    ).toEqual({ kind: 'elasticsearch', url: 'https://a:9200', index: 'oip', username: 'u', password: 'p' });
  });

  it('reads ELASTICSEARCH_API_KEY beside the basic credentials', () => {
    const c = storeConfigFromEnv({ ELASTICSEARCH_URL: 'http://es:9200', ELASTICSEARCH_API_KEY: ' a2V5OnNlY3JldA== ' });
    expect(c).toEqual({ kind: 'elasticsearch', url: 'http://es:9200', index: 'records', apiKey: 'a2V5OnNlY3JldA==' });
    expect(Value.Check(StoreConfigSchema, c)).toBe(true);
    expect(Value.Check(StoreConfigSchema, { ...c, apiKey: '' })).toBe(false);
  });

  it('STORE_KIND wins over the ES variables; its value is not validated here', () => {
    expect(storeConfigFromEnv({ STORE_KIND: 'SQLite', ELASTICSEARCH_URL: 'http://es:9200' })).toEqual({
      kind: 'sqlite',
      dataDir: '.data/records',
    });
    expect(storeConfigFromEnv({ STORE_KIND: 'elasticsearch' })).toEqual({
      kind: 'elasticsearch',
      url: 'http://127.0.0.1:9200',
      index: 'records',
    });
    expect(Value.Check(StoreConfigSchema, storeConfigFromEnv({ STORE_KIND: 'mongo' }))).toBe(false);
  });

  it('the schema refuses a non-http ES url and an empty data dir', () => {
    expect(Value.Check(StoreConfigSchema, storeConfigFromEnv({ ELASTICSEARCH_URL: 'ftp://es' }))).toBe(false);
    expect(Value.Check(StoreConfigSchema, { kind: 'sqlite', dataDir: '' })).toBe(false);
    expect(Value.Check(StoreConfigSchema, storeConfigFromEnv({}))).toBe(true);
  });
});
