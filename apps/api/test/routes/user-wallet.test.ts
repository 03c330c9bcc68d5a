// GET|POST /api/user/mnemonic and POST /api/user/import-wallet over the api's real HTTP port
// (SQLite store, real Redis), as legacy routes/user.js (~1155, ~1258) answers them: the mnemonic
// only with the owner's password (rate limited like login, the legacy query form kept out of the
// request log), and an imported mnemonic keeps the publisher key and DIDs it derives.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createPublisherKeys, publisherHash, publisherKeysFromMnemonic } from '@oip/accounts';
import { call, listen, login, register } from '../account-http.js';
import { useApi, usePurgedPrefixes } from '../helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'user-wallet-secret-0123456789';
const ABANDON = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
// m/44'/0'/0'/0/0 of ABANDON: the vector @oip/accounts checks against an independent derivation
// (its test/helpers/reference-bip32.ts) and that legacy's bip32 gives.
const ABANDON_KEY = '03aaeb52dd7494c361049de67cc680e83ebcbbbdbeb13637d92cd845f70308af5e';
const start = useApi();
const prefixes = usePurgedPrefixes(REDIS_URL);

async function api(overrides: Record<string, unknown> = {}) {
  const queuePrefix = `t-wallet-${randomUUID().slice(0, 8)}`;
  prefixes.push(queuePrefix);
  const started = await start([], { redisUrl: REDIS_URL, queuePrefix, jwtSecret: SECRET, ...overrides });
  return { ...started, base: await listen(started.app) };
}

const MESSAGE = 'Save this mnemonic securely. You can use it to import your wallet on other OIP nodes.';

describe('GET /api/user/mnemonic', () => {
  it('answers the signed-in user their own mnemonic with their password: legacy query form and POST body alike', async () => {
    const t = await api();
    const ana = await register(t.base, 'ana@example.org', 'ana wallet passphrase');
    const bo = await register(t.base, 'bo@example.org', 'bo wallet passphrase 7');
    const viaQuery = await call(t.base, `/api/user/mnemonic?password=${encodeURIComponent('ana wallet passphrase')}`, {
      token: ana.token,
    });
    expect([viaQuery.status, viaQuery.body]).toEqual([
      200,
      { success: true, mnemonic: ana.mnemonic, message: MESSAGE },
    ]);
    const viaBody = await call(t.base, '/api/user/mnemonic', {
      token: bo.token,
      body: { password: 'bo wallet passphrase 7' },
    });
    expect([viaBody.status, viaBody.body]).toEqual([200, { success: true, mnemonic: bo.mnemonic, message: MESSAGE }]);
    expect(publisherKeysFromMnemonic(ana.mnemonic).publicKey).toBe(ana.publicKey);
    // Another user's password with my token opens nothing of theirs.
    const crossed = await call(t.base, '/api/user/mnemonic', {
      token: ana.token,
      body: { password: 'bo wallet passphrase 7' },
    });
    expect([crossed.status, crossed.headers.get('x-error-code')]).toEqual([401, 'ACCOUNTS_ERR_BAD_CREDENTIALS']);
  });

  it("answers legacy's refusals: no token 401, no password 400, wrong password 401 'Invalid password'", async () => {
    const t = await api();
    const ana = await register(t.base, 'ana@example.org', 'ana wallet passphrase');
    expect((await call(t.base, '/api/user/mnemonic?password=x')).status).toBe(401);
    const missing = await call(t.base, '/api/user/mnemonic', { token: ana.token });
    expect([missing.status, missing.body]).toEqual([
      400,
      { success: false, error: 'Password required to access mnemonic', code: 'API_ERR_FIELDS_REQUIRED' },
    ]);
    const wrong = await call(t.base, '/api/user/mnemonic?password=not-it', { token: ana.token });
    expect([wrong.status, wrong.body]).toEqual([
      401,
      { success: false, error: 'Invalid password', code: 'ACCOUNTS_ERR_BAD_CREDENTIALS' },
    ]);
  });

  it('is rate limited like login, per account (429 past API_LOGIN_RATE_LIMIT guesses a minute)', async () => {
    const t = await api({ loginRateLimit: 3 });
    const ana = await register(t.base, 'ana@example.org', 'ana wallet passphrase');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await call(t.base, `/api/user/mnemonic?password=guess-${i}`, { token: ana.token })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Even the right password waits for the window now.
    const right = await call(t.base, `/api/user/mnemonic?password=${encodeURIComponent('ana wallet passphrase')}`, {
      token: ana.token,
    });
    expect(right.status).toBe(429);
  });

  it('keeps the legacy query form (password in the URL) out of the request log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const queuePrefix = `t-wallet-${randomUUID().slice(0, 8)}`;
    prefixes.push(queuePrefix);
    const started = await start([], { redisUrl: REDIS_URL, queuePrefix, jwtSecret: SECRET, logLevel: 'info' });
    // A second app over the same files, logging into `sink` (the helper's app logs nothing).
    const { buildApp, parseConfig } = await import('../../src/app.js');
    const logged = buildApp(
      parseConfig({
        store: { kind: 'sqlite', dataDir: started.dataDir },
        relayUrl: started.relay.url,
        redisUrl: REDIS_URL,
        queuePrefix,
        jwtSecret: SECRET,
      }),
      { logger: pino({ level: 'info' }, sink) as never },
    );
    try {
      const base = await listen(logged);
      const ana = await register(base, 'ana@example.org', 'ana wallet passphrase');
      const secret = 'ana wallet passphrase';
      expect(
        (await call(base, `/api/user/mnemonic?password=${encodeURIComponent(secret)}`, { token: ana.token })).status,
      ).toBe(200);
      expect((await call(base, '/api/records?recordType=post')).status).toBe(200);
      const log = lines.join('');
      // The log works (other requests are in it), but neither the route's URL nor the password is.
      expect(log).toContain('/api/records?recordType=post');
      expect(log).not.toContain('/api/user/mnemonic');
      expect(log).not.toContain(encodeURIComponent(secret));
      expect(log).not.toContain(secret);
    } finally {
      await logged.close();
    }
  });
});

describe('POST /api/user/import-wallet', () => {
  it('imports a mnemonic with the legacy answer; the account keeps the key it derives and publishes under its DIDs', async () => {
    const t = await api();
    const res = await call(t.base, '/api/user/import-wallet', {
      body: { email: 'Importer@Example.org', password: 'imported wallet passphrase', mnemonic: ABANDON },
    });
    expect([res.status, res.body]).toEqual([
      201,
      { success: true, message: 'Wallet imported successfully', token: expect.any(String), publicKey: ABANDON_KEY },
    ]);
    expect(publisherKeysFromMnemonic(ABANDON).publicKey).toBe(ABANDON_KEY);
    const token = String(res.body['token']);
    // Login answers the same key; the mnemonic shown is the one brought.
    expect((await login(t.base, 'importer@example.org', 'imported wallet passphrase')).body['publicKey']).toBe(
      ABANDON_KEY,
    );
    const shown = await call(t.base, '/api/user/mnemonic', { token, body: { password: 'imported wallet passphrase' } });
    expect(shown.body['mnemonic']).toBe(ABANDON);
    // What it publishes lives under the souls of that key: did:gun:<sha256(publicKey)[0..12]>:<localId>.
    const published = await call(t.base, '/api/records/newRecord?recordType=post&storage=gun&localId=imported-1', {
      token,
      body: { basic: { name: 'From an imported wallet' }, post: { articleText: 'hello' } },
    });
    expect(published.status).toBe(200);
    expect(JSON.stringify(published.body)).toContain(`did:gun:${publisherHash(ABANDON_KEY)}:imported-1`);
  });

  it('refuses a taken email (legacy 400) and a key another account holds (409 ACCOUNTS_ERR_KEY_TAKEN); nothing created', async () => {
    const t = await api();
    const owner = await register(t.base, 'owner@example.org', 'owner wallet passphrase');
    const fresh = createPublisherKeys();
    const taken = await call(t.base, '/api/user/import-wallet', {
      body: { email: 'OWNER@example.org', password: 'another wallet passphrase', mnemonic: fresh.mnemonic },
    });
    expect([taken.status, taken.body]).toEqual([
      400,
      { success: false, error: 'User already exists on this node', code: 'ACCOUNTS_ERR_DUPLICATE_EMAIL' },
    ]);
    const stolen = await call(t.base, '/api/user/import-wallet', {
      body: { email: 'thief@example.org', password: 'thief wallet passphrase', mnemonic: owner.mnemonic },
    });
    expect([stolen.status, stolen.headers.get('x-error-code'), stolen.body['success']]).toEqual([
      409,
      'ACCOUNTS_ERR_KEY_TAKEN',
      false,
    ]);
    expect(await t.accounts.findByEmail('thief@example.org')).toBeNull();
    expect(await t.accounts.count()).toBe(1);
    expect((await login(t.base, 'thief@example.org', 'thief wallet passphrase')).status).toBe(400);
  });

  it("answers legacy's 400s for missing fields and a bad phrase, and the registration rules for the password", async () => {
    const t = await api();
    const missing = await call(t.base, '/api/user/import-wallet', { body: { email: 'a@example.org', password: 'x' } });
    expect([missing.status, missing.body]).toEqual([
      400,
      { success: false, error: 'Email, password, and mnemonic are required', code: 'API_ERR_FIELDS_REQUIRED' },
    ]);
    const bad = await call(t.base, '/api/user/import-wallet', {
      body: { email: 'a@example.org', password: 'a good wallet passphrase', mnemonic: 'abandon '.repeat(12).trim() },
    });
    expect([bad.status, bad.body]).toEqual([
      400,
      { success: false, error: 'Invalid mnemonic phrase', code: 'ACCOUNTS_ERR_INVALID_MNEMONIC' },
    ]);
    const weak = await call(t.base, '/api/user/import-wallet', {
      body: { email: 'a@example.org', password: 'password', mnemonic: ABANDON },
    });
    expect([weak.status, weak.headers.get('x-error-code')]).toEqual([400, 'ACCOUNTS_ERR_INVALID_PASSWORD']);
    expect(await t.accounts.count()).toBe(0);
  });
});
