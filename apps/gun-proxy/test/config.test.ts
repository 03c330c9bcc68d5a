import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('reads the legacy peer variables and checks them against the allowlist', () => {
    const c = loadConfig({ GUN_PEERS: 'ws://127.0.0.1:8765/gun, ws://localhost:9000/gun', GUN_EXTERNAL_PEERS: 'ws://127.0.0.1:8765/gun' });
    expect(c.peers).toEqual(['ws://127.0.0.1:8765/gun', 'ws://localhost:9000/gun']);
    expect(() => loadConfig({ GUN_PEERS: 'ws://node2.example.org:8765/gun' })).toThrow(/GUN_PEERS.*allowlist/);
    const ok = loadConfig({ GUN_PEERS: 'wss://node2.example.org/gun', GUNPROXY_PEER_ALLOWLIST: '.example.org' });
    expect(ok.peers).toEqual(['wss://node2.example.org/gun']);
    expect(() => loadConfig({ GUN_PEERS: 'file:///etc/passwd', GUNPROXY_PEER_ALLOWLIST: 'x' })).toThrow(ConfigError);
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
});
