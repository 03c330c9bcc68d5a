import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../src/config.js';

const SECRET = 'a-secret-of-at-least-16-chars';

describe('loadConfig', () => {
  it('refuses to start without a JWT secret, naming the variable', () => {
    expect(() => loadConfig({})).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', variable: 'MEDIA_JWT_SECRET' }),
    );
    // A value the operator set is named by the variable they set.
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(expect.objectContaining({ variable: 'JWT_SECRET' }));
  });

  it('defaults: port 3006, .data/media under cwd, 500 MiB uploads, publishing on', () => {
    const c = loadConfig({ JWT_SECRET: SECRET }, '/srv/node');
    expect(c).toMatchObject({
      port: 3006,
      host: '127.0.0.1',
      mediaDir: path.resolve('/srv/node', '.data/media'),
      maxUploadBytes: 500 * 1024 * 1024,
      relayPublish: true,
      relayUrl: 'http://127.0.0.1:8765',
    });
    expect(c.publicUrl).toBeUndefined();
    expect(c.peerId).toBeUndefined();
  });

  it('reads the event-loop shedding limit (1 s by default, 0 = off)', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }, '/srv/node').maxEventLoopDelayMs).toBe(1000);
    expect(
      loadConfig({ JWT_SECRET: SECRET, MEDIA_MAX_EVENT_LOOP_DELAY_MS: '0' }, '/srv/node').maxEventLoopDelayMs,
    ).toBe(0);
    expect(() => loadConfig({ JWT_SECRET: SECRET, MEDIA_MAX_EVENT_LOOP_DELAY_MS: '-1' }, '/srv/node')).toThrow(
      expect.objectContaining({ variable: 'MEDIA_MAX_EVENT_LOOP_DELAY_MS' }),
    );
  });

  it('the web-setup project: legacy default, COMPOSE_PROJECT_NAME, MEDIA_WEB_PROJECT first; a name that is not a plain one stops the start', () => {
    expect(loadConfig({ JWT_SECRET: SECRET })).toMatchObject({
      webProject: 'oip-arweave-indexer',
      webMaxFiles: 100_000,
    });
    expect(loadConfig({ JWT_SECRET: SECRET, COMPOSE_PROJECT_NAME: 'fitnessally' }).webProject).toBe('fitnessally');
    const both = { JWT_SECRET: SECRET, COMPOSE_PROJECT_NAME: 'fitnessally', MEDIA_WEB_PROJECT: 'web-1' };
    expect(loadConfig(both).webProject).toBe('web-1');
    for (const bad of ['..', '.hidden', 'a/b', 'a\\b', 'p'.repeat(101)])
      expect(() => loadConfig({ JWT_SECRET: SECRET, MEDIA_WEB_PROJECT: bad }), bad).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', variable: 'MEDIA_WEB_PROJECT' }),
      );
  });

  it('MEDIA_* names win over the legacy and shared ones', () => {
    const env = {
      JWT_SECRET: SECRET,
      MEDIA_JWT_SECRET: `${SECRET}-media`,
      MEDIA_DIR: '/legacy/media',
      PORT: '9999',
      MEDIA_PORT: '4006',
      GUNPROXY_AUTH_TOKEN: 'relay-token',
      GUN_RELAY_URL: 'http://relay:8765',
    };
    const c = loadConfig(env, '/x');
    expect(c).toMatchObject({
      jwtSecret: `${SECRET}-media`,
      mediaDir: '/legacy/media',
      port: 4006,
      relayAuthToken: 'relay-token',
      relayUrl: 'http://relay:8765',
    });
    expect(
      loadConfig(
        { ...env, MEDIA_DATA_DIR: 'rel/dir', MEDIA_RELAY_AUTH_TOKEN: 'mine', MEDIA_RELAY_URL: 'http://r2:1' },
        '/x',
      ),
    ).toMatchObject({
      mediaDir: '/x/rel/dir',
      relayAuthToken: 'mine',
      relayUrl: 'http://r2:1',
    });
    expect(loadConfig({ JWT_SECRET: SECRET, PORT: '9999' }).port).toBe(9999);
  });

  it('invalid values stop the start with the variable named', () => {
    expect(() => loadConfig({ JWT_SECRET: SECRET, MEDIA_PEER_ID: 'nothex' })).toThrow(
      expect.objectContaining({ variable: 'MEDIA_PEER_ID' }),
    );
    expect(() => loadConfig({ JWT_SECRET: SECRET, MEDIA_MAX_UPLOAD_BYTES: 'lots' })).toThrow(
      expect.objectContaining({ variable: 'MEDIA_MAX_UPLOAD_BYTES' }),
    );
    expect(() => loadConfig({ JWT_SECRET: SECRET, MEDIA_PUBLIC_URL: 'ftp://x' })).toThrow(
      expect.objectContaining({ variable: 'MEDIA_PUBLIC_URL' }),
    );
    expect(() => loadConfig({ JWT_SECRET: SECRET, MEDIA_RELAY_PUBLISH: 'maybe' })).toThrow(
      expect.objectContaining({ variable: 'MEDIA_RELAY_PUBLISH' }),
    );
    expect(
      loadConfig({ JWT_SECRET: SECRET, MEDIA_RELAY_PUBLISH: 'false', MEDIA_PEER_ID: '0123456789abcdef' }),
    ).toMatchObject({ relayPublish: false, peerId: '0123456789abcdef' });
  });

  it('parseConfig (tests) accepts a config without a secret', () => {
    expect(parseConfig({ mediaDir: '/tmp/m' }).jwtSecret).toBeUndefined();
  });

  it('MEDIA_PEER_ALLOWLIST holds origins: normalised to scheme://host:port; a bare host, a path or credentials stop the start', () => {
    const c = loadConfig({
      JWT_SECRET: SECRET,
      MEDIA_PEER_ALLOWLIST:
        'http://peer.example, HTTPS://Peer.Example:8443/ ,https://b.example,http://peer.example:80,http://[::1]:3006',
    });
    expect(c.peerAllowlist).toEqual([
      'http://peer.example:80',
      'https://peer.example:8443',
      'https://b.example:443',
      'http://[::1]:3006',
    ]);
    for (const bad of [
      'peer.example',
      'peer.example:3006',
      '10.0.0.2',
      'http://peer.example/media',
      'http://peer.example?x=1',
      'http://u:p@peer.example',
      'ftp://peer.example',
      'ws://peer.example:8765',
    ]) {
      expect(() => loadConfig({ JWT_SECRET: SECRET, MEDIA_PEER_ALLOWLIST: bad }), bad).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', variable: 'MEDIA_PEER_ALLOWLIST' }),
      );
    }
    expect(() => loadConfig({ JWT_SECRET: SECRET, MEDIA_PEER_ALLOWLIST: 'peer.example:3006' })).toThrow(
      /MEDIA_PEER_ALLOWLIST.*http:\/\/peer\.example:3006/,
    );
    expect(() => parseConfig({ mediaDir: '/tmp/m', peerAllowlist: ['peer.example'] })).toThrow(
      expect.objectContaining({ variable: 'MEDIA_PEER_ALLOWLIST' }),
    );
    expect(loadConfig({ JWT_SECRET: SECRET }).peerAllowlist).toEqual([]);
  });
});
