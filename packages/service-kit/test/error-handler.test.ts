import createError from '@fastify/error';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { errorHandling } from '../src/fastify.js';

const Teapot = createError('SVC_TEAPOT', 'I am a teapot: %s', 418);
const Timeout = createError('SVC_TIMEOUT', 'Storage did not answer', 504);
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

function build(): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 });
  apps.push(app);
  app.register(errorHandling, { prefix: 'SVC', bodyLimit: 1024, legacyText: { SVC_TEAPOT: 'Teapot' } });
  app.register(async (r) => {
    r.get('/ours', async () => {
      throw new Teapot('short and stout');
    });
    r.get('/timeout', async () => {
      throw new Timeout();
    });
    r.get('/details', async () => {
      throw Object.assign(new Teapot('with details'), { details: [{ path: 'data.x', rule: 'must be a number' }] });
    });
    r.get('/crash', async () => {
      throw new Error('secret path /etc/x at line 3');
    });
    r.get('/legacy', { config: { legacy: true } }, async () => {
      throw new Teapot('x');
    });
    r.post('/body', { schema: { body: Type.Object({ n: Type.Integer() }) } }, async () => ({ ok: true }));
  });
  return app;
}

describe('errorHandling', () => {
  it('answers the house body with our code, and keeps 5xx internals out', async () => {
    const app = build();
    const ours = await app.inject('/ours');
    expect(ours.statusCode).toBe(418);
    expect(ours.headers['x-error-code']).toBe('SVC_TEAPOT');
    expect(ours.json()).toEqual({
      error: { code: 'SVC_TEAPOT', message: 'I am a teapot: short and stout' },
      requestId: expect.any(String),
    });
    expect((await app.inject('/timeout')).json()).toMatchObject({ error: { code: 'SVC_TIMEOUT' } });
    const crash = await app.inject('/crash');
    expect(crash.statusCode).toBe(500);
    expect(crash.json()).toMatchObject({ error: { code: 'SVC_INTERNAL', message: 'Internal error' } });
    expect(crash.body).not.toContain('secret');
    expect((await app.inject('/details')).json().error).toEqual({
      code: 'SVC_TEAPOT',
      message: 'I am a teapot: with details',
      details: [{ path: 'data.x', rule: 'must be a number' }],
    });
  });

  it('maps validation, bad JSON, too-large bodies and unknown routes to stable codes', async () => {
    const app = build();
    const bad = await app.inject({ method: 'POST', url: '/body', payload: { n: 'x' } });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'SVC_VALIDATION']);
    const json = await app.inject({
      method: 'POST',
      url: '/body',
      headers: { 'content-type': 'application/json' },
      payload: '{"n":',
    });
    expect([json.statusCode, json.json().error.code]).toEqual([400, 'SVC_INVALID_JSON']);
    const big = await app.inject({
      method: 'POST',
      url: '/body',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ n: 1, pad: 'x'.repeat(2048) }),
    });
    expect([big.statusCode, big.json().error.code]).toEqual([413, 'SVC_BODY_TOO_LARGE']);
    const missing = await app.inject('/nowhere?x=1');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      error: { code: 'SVC_ROUTE_NOT_FOUND', message: 'Route GET /nowhere not found' },
    });
  });

  it('uses the catalogue codes for 404 and internal codes when given', async () => {
    const app = Fastify({ logger: false });
    apps.push(app);
    app.register(errorHandling, {
      prefix: 'SVC',
      codes: { routeNotFound: 'SVC_ERR_NOT_FOUND', internal: 'SVC_ERR_INTERNAL' },
    });
    app.get('/crash', async () => {
      throw new Error('boom');
    });
    expect((await app.inject('/nowhere')).json()).toMatchObject({ error: { code: 'SVC_ERR_NOT_FOUND' } });
    const crash = await app.inject('/crash');
    expect([crash.statusCode, crash.json().error.code]).toEqual([500, 'SVC_ERR_INTERNAL']);
  });

  it('answers listed codes of other workspaces as 400 validation errors, others keep their 500', async () => {
    const StoreInvalid = createError('STORE_ERR_INVALID', 'fieldName must be a dotted path under data');
    const StoreDown = createError('STORE_ERR_UNAVAILABLE', 'store down at /var/secret');
    const app = Fastify({ logger: false });
    apps.push(app);
    app.register(errorHandling, { prefix: 'SVC', clientErrorCodes: ['STORE_ERR_INVALID'] });
    app.get('/invalid', async () => {
      throw new StoreInvalid();
    });
    app.get('/down', async () => {
      throw new StoreDown();
    });
    const invalid = await app.inject('/invalid');
    expect([invalid.statusCode, invalid.json().error]).toEqual([
      400,
      { code: 'SVC_VALIDATION', message: 'Invalid request: fieldName must be a dotted path under data' },
    ]);
    const down = await app.inject('/down');
    expect([down.statusCode, down.json().error.code]).toEqual([500, 'SVC_INTERNAL']);
  });

  it('answers the legacy body on legacy routes, the code in a header', async () => {
    const res = await build().inject('/legacy');
    expect(res.statusCode).toBe(418);
    expect(res.json()).toEqual({ error: 'Teapot' });
    expect(res.headers['x-error-code']).toBe('SVC_TEAPOT');
  });

  it("answers only a route's listed codes (other workspaces' too) with its legacy body and status", async () => {
    const Duplicate = createError('ACCOUNTS_ERR_DUPLICATE', 'an account with this email exists');
    const Refused = createError('ACCOUNTS_ERR_REFUSED', 'password too short');
    const app = Fastify({ logger: false });
    apps.push(app);
    app.register(errorHandling, { prefix: 'SVC' });
    const config = {
      legacyCodes: {
        ACCOUNTS_ERR_DUPLICATE: { status: 400, text: 'Already registered.' },
        ACCOUNTS_ERR_REFUSED: { status: 400 },
      },
      legacyBody: (error: string, code: string) => ({ success: false, error, code }),
    };
    app.get('/duplicate', { config }, async () => {
      throw new Duplicate();
    });
    app.get('/refused', { config }, async () => {
      throw new Refused();
    });
    app.get('/other', { config }, async () => {
      throw new Teapot('not listed');
    });
    const duplicate = await app.inject('/duplicate');
    expect([duplicate.statusCode, duplicate.headers['x-error-code'], duplicate.json()]).toEqual([
      400,
      'ACCOUNTS_ERR_DUPLICATE',
      { success: false, error: 'Already registered.', code: 'ACCOUNTS_ERR_DUPLICATE' },
    ]);
    expect((await app.inject('/refused')).json()).toEqual({
      success: false,
      error: 'password too short',
      code: 'ACCOUNTS_ERR_REFUSED',
    });
    const other = await app.inject('/other');
    expect([other.statusCode, other.json().error.code]).toEqual([418, 'SVC_TEAPOT']);
  });

  it("names the app's own body limit in the 413 when none is given", async () => {
    const app = Fastify({ logger: false, bodyLimit: 512 });
    apps.push(app);
    app.register(errorHandling, { prefix: 'SVC' });
    app.post('/body', async () => ({ ok: true }));
    const big = await app.inject({
      method: 'POST',
      url: '/body',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ pad: 'x'.repeat(1024) }),
    });
    expect([big.statusCode, big.json().error]).toEqual([
      413,
      { code: 'SVC_BODY_TOO_LARGE', message: 'Request body is larger than 512 bytes' },
    ]);
  });
});
