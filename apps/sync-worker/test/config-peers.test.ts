// GUN_PEERS websockets keep their /gun-relay relay key and are remembered as peers, so discovery
// can resolve which base (the /gun-relay proxy or the bare relay) answers.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('config: relay peers', () => {
  it('records the ws peer behind each relay it produced, and none for http relays', () => {
    const c = loadConfig({ GUN_PEERS: 'ws://peer-a:8765/gun, http://peer-b:3005/gun-relay/' });
    expect(c.relays).toEqual(['http://peer-a:8765/gun-relay', 'http://peer-b:3005/gun-relay']);
    expect(c.relayPeers).toEqual({ 'http://peer-a:8765/gun-relay': 'ws://peer-a:8765/gun' });
    expect(loadConfig({}).relayPeers).toEqual({});
  });

  it('reads the registry paging and not-found relook settings', () => {
    const c = loadConfig({
      SYNC_REGISTRY_PAGE_SIZE: '200',
      SYNC_REGISTRY_LINK_CONCURRENCY: '4',
      SYNC_NOT_FOUND_RELOOKS: '2',
      SYNC_NOT_FOUND_BACKOFF_MS: '1000',
    });
    expect(c).toMatchObject({
      registryPageSize: 200,
      registryLinkConcurrency: 4,
      notFoundRelooks: 2,
      notFoundBackoffMs: 1000,
    });
    expect(() => loadConfig({ SYNC_REGISTRY_PAGE_SIZE: '5000' })).toThrow(/SYNC_REGISTRY_PAGE_SIZE/);
  });
});
