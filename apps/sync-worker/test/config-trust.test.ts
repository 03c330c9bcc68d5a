// The trust settings of the worker's config: unsigned records refused unless told otherwise, and
// the custody secret read from the names the api and compose use.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('trust config', () => {
  it('refuses unsigned records by default and takes accept / refuse in any case', () => {
    expect(loadConfig({}).unsignedRecords).toBe('refuse');
    expect(loadConfig({ SYNC_UNSIGNED_RECORDS: 'Accept' }).unsignedRecords).toBe('accept');
    expect(() => loadConfig({ SYNC_UNSIGNED_RECORDS: 'trust-all' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', variable: 'SYNC_UNSIGNED_RECORDS' }),
    );
  });

  it('reads the custody secret from SYNC_CUSTODY_SECRET, CUSTODY_SECRET, then JWT_SECRET; none holds no keys', () => {
    expect(loadConfig({}).custodySecret).toBeUndefined();
    expect(loadConfig({ JWT_SECRET: 'jwt-secret-0123456789' }).custodySecret).toBe('jwt-secret-0123456789');
    expect(loadConfig({ JWT_SECRET: 'jwt-secret-0123456789', CUSTODY_SECRET: '' }).custodySecret).toBe(
      'jwt-secret-0123456789',
    );
    expect(
      loadConfig({ JWT_SECRET: 'jwt-secret-0123456789', CUSTODY_SECRET: 'custody-secret-0123456789' }).custodySecret,
    ).toBe('custody-secret-0123456789');
    expect(
      loadConfig({ CUSTODY_SECRET: 'custody-secret-0123456789', SYNC_CUSTODY_SECRET: 'sync-custody-0123456789' })
        .custodySecret,
    ).toBe('sync-custody-0123456789');
    expect(() => loadConfig({ CUSTODY_SECRET: 'short' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
