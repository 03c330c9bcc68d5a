import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_RECORD_TYPES } from '@oip/records';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has safe defaults', () => {
    const c = loadConfig({}, '/srv');
    expect(c).toMatchObject({
      port: 8765,
      host: '127.0.0.1',
      dataDir: path.resolve('/srv', '.data/gun-proxy'),
      peers: [],
      authMode: 'none',
      getMissWaitMs: 500,
      wsPath: '/gun',
    });
    expect(c.getMissWaitMs).toBeLessThan(3000);
  });

  it('reads the catch-up settings, and refuses a bad one naming its variable', () => {
    expect(loadConfig({})).toMatchObject({
      catchUp: true,
      catchUpRecordTypes: [...KNOWN_RECORD_TYPES],
      catchUpMaxLinks: 10_000,
      catchUpConcurrency: 4,
      catchUpAskTimeoutMs: 5000,
      catchUpTimeoutMs: 120_000,
    });
    const c = loadConfig({
      GUNPROXY_CATCHUP: 'false',
      GUNPROXY_CATCHUP_RECORD_TYPES: 'post, shoppingList',
      GUNPROXY_CATCHUP_MAX_LINKS: '50',
    });
    expect(c).toMatchObject({ catchUp: false, catchUpRecordTypes: ['post', 'shoppingList'], catchUpMaxLinks: 50 });
    expect(() => loadConfig({ GUNPROXY_CATCHUP: 'maybe' })).toThrow(/GUNPROXY_CATCHUP must be true or false/);
    expect(() => loadConfig({ GUNPROXY_CATCHUP_RECORD_TYPES: 'post,a b' })).toThrow(/GUNPROXY_CATCHUP_RECORD_TYPES/);
    expect(() => loadConfig({ GUNPROXY_CATCHUP_CONCURRENCY: '0' })).toThrow(/GUNPROXY_CATCHUP_CONCURRENCY/);
  });

  it('reads the legacy peer variables and checks them against the allowlist', () => {
    const c = loadConfig({
      GUN_PEERS: 'ws://127.0.0.1:8765/gun, ws://localhost:9000/gun',
      GUN_EXTERNAL_PEERS: 'ws://127.0.0.1:8765/gun',
    });
    expect(c.peers).toEqual(['ws://127.0.0.1:8765/gun', 'ws://localhost:9000/gun']);
    expect(() => loadConfig({ GUN_PEERS: 'ws://node2.example.org:8765/gun' })).toThrow(/GUN_PEERS.*allowlist/);
    const ok = loadConfig({ GUN_PEERS: 'wss://node2.example.org/gun', GUNPROXY_PEER_ALLOWLIST: '.example.org' });
    expect(ok.peers).toEqual(['wss://node2.example.org/gun']);
    expect(() => loadConfig({ GUN_PEERS: 'file:///etc/passwd', GUNPROXY_PEER_ALLOWLIST: 'x' })).toThrow(ConfigError);
  });

  it('lets the GUNPROXY_ name win over bare PORT/HOST and over legacy aliases', () => {
    const c = loadConfig({ PORT: '3005', GUNPROXY_PORT: '8800', HOST: '0.0.0.0', GUNPROXY_HOST: '127.0.0.2' });
    expect(c).toMatchObject({ port: 8800, host: '127.0.0.2', authMode: 'none' });
    expect(loadConfig({ PORT: '3005', HOST: '::1' })).toMatchObject({ port: 3005, host: '::1' });
    expect(loadConfig({ GUN_REGISTRY_ROOT: 'legacy:root', GUNPROXY_REGISTRY_ROOT: 'ours:root' }).registryRoot).toBe(
      'ours:root',
    );
    expect(loadConfig({ GUN_REGISTRY_ROOT: 'legacy:root' }).registryRoot).toBe('legacy:root');
    expect(loadConfig({ GUN_DATA_DIR: 'legacy-dir' }, '/srv').dataDir).toBe(path.resolve('/srv', 'legacy-dir'));
  });

  it('throws the kit ConfigError (code CONFIG_INVALID) naming the prefixed variable', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'eighty' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toMatchObject({
      code: 'CONFIG_INVALID',
      variable: 'PORT',
      message: 'PORT must be an integer, got "eighty"',
    });
    expect(() => loadConfig({ GUNPROXY_PORT: '70000' })).toThrow(/^invalid GUNPROXY_PORT: /);
  });

  it('names the variable when a value is invalid', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ GUNPROXY_GET_MISS_WAIT_MS: '-5' })).toThrow(/GUNPROXY_GET_MISS_WAIT_MS/);
  });

  it('refuses unauthenticated writes off loopback, and a mode without a token', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/GUNPROXY_AUTH/);
    expect(loadConfig({ HOST: '0.0.0.0', GUNPROXY_AUTH_TOKEN: 'x'.repeat(32) }).authMode).toBe('token');
    expect(() => loadConfig({ GUNPROXY_AUTH_MODE: 'hmac' })).toThrow(/GUNPROXY_AUTH_TOKEN/);
  });

  it('counts only literal loopback addresses as loopback (HOST=127.evil.example needs auth)', () => {
    for (const host of [
      '127.evil.example',
      '127.0.0.1.evil.example',
      '127.0.0.256',
      'localhost.evil.example',
      '127.1',
    ]) {
      expect(() => loadConfig({ HOST: host }), host).toThrow(
        /GUNPROXY_AUTH_MODE=none is only allowed on a loopback HOST/,
      );
    }
    for (const host of ['127.0.0.1', '127.12.0.9', '::1', 'localhost'])
      expect(loadConfig({ HOST: host }).authMode).toBe('none');
    // The loopback-only peer rule (empty allowlist) uses the same test.
    expect(() => loadConfig({ GUN_PEERS: 'ws://127.evil.example:8765/gun' })).toThrow(/GUN_PEERS.*allowlist/);
  });

  it('reads the issue-10 bounds with their defaults', () => {
    expect(loadConfig({})).toMatchObject({
      maxBodyDepth: 64,
      getMaxBytes: 8 * 1024 * 1024,
      maxNodeKeys: 100_000,
      hmacWindowSeconds: 300,
    });
    const c = loadConfig({
      GUNPROXY_GET_MAX_BYTES: '1048576',
      GUNPROXY_MAX_NODE_KEYS: '500',
      GUNPROXY_HMAC_WINDOW_SECONDS: '60',
      GUNPROXY_MAX_BODY_DEPTH: '32',
    });
    expect(c).toMatchObject({ getMaxBytes: 1048576, maxNodeKeys: 500, hmacWindowSeconds: 60, maxBodyDepth: 32 });
    expect(() => loadConfig({ GUNPROXY_GET_MAX_BYTES: '10' })).toThrow(/GUNPROXY_GET_MAX_BYTES/);
  });
});
