import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const SECRET = 'a-secret-of-at-least-16-chars';

describe('loadConfig', () => {
  it('refuses to start without a JWT secret, naming the variable', () => {
    expect(() => loadConfig({})).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', variable: 'API_JWT_SECRET' }),
    );
    // A value the operator set is named by the variable they set.
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(expect.objectContaining({ variable: 'JWT_SECRET' }));
  });

  it('an unknown log level names the variable set and the levels it takes', () => {
    const levels = 'fatal, error, warn, info, debug, trace, silent';
    expect(() => loadConfig({ JWT_SECRET: SECRET, LOG_LEVEL: 'verbose' })).toThrow(
      `invalid LOG_LEVEL: must be one of ${levels}, got "verbose"`,
    );
    expect(() => loadConfig({ JWT_SECRET: SECRET, API_LOG_LEVEL: 'verbose' })).toThrow(
      `invalid API_LOG_LEVEL: must be one of ${levels}, got "verbose"`,
    );
  });

  it('takes the legacy JWT_SECRET, the prefixed one first, and the node settings', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET);
    expect(loadConfig({ JWT_SECRET: SECRET, API_JWT_SECRET: `${SECRET}-api` }).jwtSecret).toBe(`${SECRET}-api`);
    const c = loadConfig({
      JWT_SECRET: SECRET,
      GUN_NODE_ID_OVERRIDE: '00112233aabbccdd',
      GUN_REGISTRY_ROOT: 'oip:test',
      API_WRITE_RATE_LIMIT: '5',
      API_MEDIA_URL: 'http://127.0.0.1:9999',
    });
    expect(c).toMatchObject({
      nodeId: '00112233aabbccdd',
      registryRoot: 'oip:test',
      writeRateLimit: 5,
      loginRateLimit: 10,
      mediaUrl: 'http://127.0.0.1:9999',
    });
    expect(loadConfig({ JWT_SECRET: SECRET, GUNPROXY_AUTH_TOKEN: 'relay-token' }).relayAuthToken).toBe('relay-token');
    expect(loadConfig({ JWT_SECRET: SECRET, API_ADMIN_EMAILS: 'a@example.org, b@example.org' }).adminEmails).toEqual([
      'a@example.org',
      'b@example.org',
    ]);
    expect(() => loadConfig({ JWT_SECRET: SECRET, API_NODE_ID: 'not-hex' })).toThrow(
      expect.objectContaining({ variable: 'API_NODE_ID' }),
    );
  });

  it('reads the account cache settings (10 s and 10,000 accounts by default, 0 = no cache)', () => {
    expect(loadConfig({ JWT_SECRET: SECRET })).toMatchObject({ accountCacheTtlMs: 10_000, accountCacheMax: 10_000 });
    expect(
      loadConfig({ JWT_SECRET: SECRET, API_ACCOUNT_CACHE_TTL_MS: '0', API_ACCOUNT_CACHE_MAX: '50' }),
    ).toMatchObject({ accountCacheTtlMs: 0, accountCacheMax: 50 });
    expect(() => loadConfig({ JWT_SECRET: SECRET, API_ACCOUNT_CACHE_TTL_MS: '-1' })).toThrow(
      expect.objectContaining({ variable: 'API_ACCOUNT_CACHE_TTL_MS' }),
    );
    expect(() => loadConfig({ JWT_SECRET: SECRET, API_ACCOUNT_CACHE_MAX: '0' })).toThrow(
      expect.objectContaining({ variable: 'API_ACCOUNT_CACHE_MAX' }),
    );
  });

  it('reads the event-loop shedding limit (1 s by default, 0 = off)', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).maxEventLoopDelayMs).toBe(1000);
    expect(loadConfig({ JWT_SECRET: SECRET, API_MAX_EVENT_LOOP_DELAY_MS: '0' }).maxEventLoopDelayMs).toBe(0);
    expect(() => loadConfig({ JWT_SECRET: SECRET, API_MAX_EVENT_LOOP_DELAY_MS: '-5' })).toThrow(
      expect.objectContaining({ variable: 'API_MAX_EVENT_LOOP_DELAY_MS' }),
    );
  });

  it('lets the operator CLI load the config without a JWT secret', () => {
    expect(loadConfig({ STORE_DATA_DIR: '/tmp/x' }, '/', { requireJwtSecret: false }).store).toEqual({
      kind: 'sqlite',
      dataDir: '/tmp/x',
    });
  });
});
