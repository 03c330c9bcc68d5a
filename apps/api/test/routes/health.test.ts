// GET /health names its parts: the store and Redis. With Redis unreachable the api still answers
// (200) and says DEGRADED with redis 'down'; with the real Redis it is OK with redis 'up'.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { useApi } from '../helpers.js';

const start = useApi();

describe('GET /health', () => {
  it('is DEGRADED with redis down while Redis does not answer', async () => {
    const { app } = await start([], {
      redisUrl: 'redis://127.0.0.1:1',
      queuePrefix: `t-h-${randomUUID().slice(0, 6)}`,
    });
    const res = await until(async () => await app.inject('/health'), {
      what: 'the api to notice Redis is down',
      ok: (r) => r.json().redis === 'down',
      timeoutMs: 10_000,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'DEGRADED', store: 'ok', redis: 'down' });
  });

  it('is OK with redis up on the real Redis', async () => {
    const { app } = await start([], {
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: `t-h-${randomUUID().slice(0, 6)}`,
    });
    const body = await until(async () => (await app.inject('/health')).json(), {
      what: 'the api to reach Redis',
      ok: (b) => b.redis === 'up',
      timeoutMs: 10_000,
    });
    expect(body).toMatchObject({ status: 'OK', store: 'ok', redis: 'up' });
  });
});
