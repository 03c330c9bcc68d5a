// Behind a reverse proxy every request comes from the proxy's address: the login limit (keyed on
// the client address) gives each X-Forwarded-For client its own budget only when API_TRUST_PROXY
// trusts that proxy; otherwise they share the proxy's one budget. Real Redis, one prefix a test.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { useApi, usePurgedPrefixes } from '../helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'trust-proxy-secret-0123456789';
const start = useApi();
const prefixes = usePurgedPrefixes(REDIS_URL);

async function api(trustProxy?: Config['trustProxy']): Promise<FastifyInstance> {
  const queuePrefix = `t-trust-${randomUUID().slice(0, 8)}`;
  prefixes.push(queuePrefix);
  const overrides = { redisUrl: REDIS_URL, queuePrefix, jwtSecret: SECRET, loginRateLimit: 2 };
  return (await start([], trustProxy === undefined ? overrides : { ...overrides, trustProxy })).app;
}

/** Login status codes: three attempts from client A, then one from client B (inject's peer is 127.0.0.1). */
async function attempts(app: FastifyInstance): Promise<number[]> {
  const login = (client: string, i: number) =>
    app.inject({
      method: 'POST',
      url: '/api/user/login',
      headers: { 'x-forwarded-for': client },
      payload: { email: 'someone@example.org', password: `guess-${i}-xxxx` },
    });
  const out: number[] = [];
  for (let i = 0; i < 3; i++) out.push((await login('203.0.113.1', i)).statusCode);
  out.push((await login('203.0.113.2', 9)).statusCode);
  return out;
}

describe('rate limits behind a reverse proxy', () => {
  it('without trustProxy, every client behind the proxy shares its budget', async () => {
    expect(await attempts(await api())).toEqual([400, 400, 429, 429]);
  });

  it('with trustProxy true, each X-Forwarded-For client gets its own budget', async () => {
    expect(await attempts(await api(true))).toEqual([400, 400, 429, 400]);
  });

  it('with the proxy address listed, each client its own; with another address listed, shared', async () => {
    expect(await attempts(await api(['127.0.0.1']))).toEqual([400, 400, 429, 400]);
    expect(await attempts(await api(['10.0.0.0/8']))).toEqual([400, 400, 429, 429]);
  });

  it('API_TRUST_PROXY takes true or addresses, and names itself when invalid (a hop count too)', () => {
    const env = { JWT_SECRET: SECRET };
    expect(loadConfig(env).trustProxy).toBe(false);
    expect(loadConfig({ ...env, API_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ...env, API_TRUST_PROXY: '127.0.0.1, 172.16.0.0/12' }).trustProxy).toEqual([
      '127.0.0.1',
      '172.16.0.0/12',
    ]);
    for (const bad of ['nginx', '1'])
      expect(() => loadConfig({ ...env, API_TRUST_PROXY: bad })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', variable: 'API_TRUST_PROXY' }),
      );
  });
});
