import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { errorHandling, jsonBodyGuard } from '../src/fastify.js';
import { jsonProblem } from '../src/index.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

function build(maxDepth?: number): FastifyInstance {
  const app = Fastify({ logger: false });
  apps.push(app);
  app.register(errorHandling, { prefix: 'SVC' });
  app.register(jsonBodyGuard, { prefix: 'SVC', ...(maxDepth !== undefined ? { maxDepth } : {}) });
  app.post('/echo', async (req) => ({ body: req.body }));
  return app;
}

const post = (app: FastifyInstance, payload: string) =>
  app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json; charset=utf-8' }, payload });

describe('jsonBodyGuard', () => {
  it.each([
    ['{"a":1e400}', 'SVC_JSON_NUMBER_NOT_FINITE', 'at $.a '],
    ['{"a":{"b":[0,-1e999]}}', 'SVC_JSON_NUMBER_NOT_FINITE', 'at $.a.b.1 '],
    ['1e400', 'SVC_JSON_NUMBER_NOT_FINITE', 'at $ '],
    ['{"a":[[[[1]]]]}', 'SVC_JSON_TOO_DEEP', 'deeper than 4 levels'],
    ['{"__proto__":{"x":1}}', 'SVC_INVALID_JSON', 'not valid JSON'],
    ['{"constructor":{"prototype":{"x":1}}}', 'SVC_INVALID_JSON', 'not valid JSON'],
    ['{"a":', 'SVC_INVALID_JSON', 'not valid JSON'],
  ])('refuses %s with %s', async (payload, code, message) => {
    const res = await post(build(4), payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code, message: expect.stringContaining(message) });
  });

  it.each([['{"a":1e308,"b":[-5e-324],"c":{"constructor":1}}'], ['{"a":[[[1]]]}'], ['"text"']])(
    'passes %s as JSON.parse reads it',
    async (payload) => {
      const res = await post(build(4), payload);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ body: JSON.parse(payload) });
    },
  );

  it('bounds nesting at 64 levels by default', async () => {
    const ok = `${'['.repeat(64)}${']'.repeat(64)}`;
    expect((await post(build(), ok)).statusCode).toBe(200);
    expect((await post(build(), `[${ok}]`)).json().error.code).toBe('SVC_JSON_TOO_DEEP');
  });
});

describe('jsonProblem', () => {
  it('walks 100,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(jsonProblem(deep, 64)).toEqual({ kind: 'too-deep', maxDepth: 64 });
  });
});
