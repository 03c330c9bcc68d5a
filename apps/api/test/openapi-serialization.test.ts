// The response schemas also serialize the answers (fast-json-stringify), which drops any field a
// schema does not name and coerces values to the declared types. Here every JSON answer of a broad
// walk through the routes (successes and errors, legacy and house bodies) is compared with the value
// the route handed to its serializer: they must be the same JSON.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OipRecord } from '@oip/record-store';
import { rec, useApi, usePurgedPrefixes } from './helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'openapi-serialization-secret-0123';
const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

interface Answer {
  route: string;
  status: number;
  handed: unknown;
  sent: unknown;
}

/** Records what each request's route handed its serializer and what went out. */
function watch(answers: Answer[]) {
  return (app: FastifyInstance) => {
    const handed = new WeakMap<FastifyRequest, unknown>();
    app.addHook('preSerialization', async (req, _reply, payload) => {
      handed.set(req, JSON.parse(JSON.stringify(payload)));
      return payload;
    });
    app.addHook('onSend', async (req, reply, body) => {
      if (handed.has(req) && typeof body === 'string')
        answers.push({
          route: `${req.method} ${req.routeOptions.url ?? req.url}`,
          status: reply.statusCode,
          handed: handed.get(req),
          sent: JSON.parse(body),
        });
      return body;
    });
  };
}

const answers: Answer[] = [];
const start = useApi({ beforeReady: watch(answers) });
const prefixes = usePurgedPrefixes(REDIS_URL);

function fixtures(): OipRecord[] {
  const exercise = rec('ex:squat', 'exercise', { exercise: { muscleGroups: ['legs'] } }, { tagItems: ['legs'] });
  const workout = rec('wk:monday', 'workout', { workout: { exercise: [exercise.oip.did] } }, { tagItems: ['legs'] });
  const template = rec('t:exercise', 'template', {});
  const organization = rec('o:club', 'organization', { org_handle: 'club1', membership_policy: 'Open Join' });
  const creator = rec('c:ada', 'creatorRegistration', { handle: 'ada', surname: 'L' });
  return [
    exercise,
    workout,
    // Legacy's template shape: data.template and data.fields (a JSON string) at the top of data.
    {
      ...template,
      data: { ...template.data, template: 'exercise', fields: JSON.stringify({ name: 'string', index_name: 0 }) },
    } as unknown as OipRecord,
    organization,
    creator,
  ];
}

describe('response schemas', () => {
  it('serialize every field each route answers, unchanged', async () => {
    const queuePrefix = `t-ser-${randomUUID().slice(0, 8)}`;
    prefixes.push(queuePrefix);
    const records = fixtures();
    const { app, accounts } = await start(records, { redisUrl: REDIS_URL, queuePrefix, jwtSecret: SECRET });
    const send = async (method: string, url: string, opts: { token?: string; payload?: unknown } = {}) => {
      const res = await app.inject({
        method: method as 'GET',
        url,
        ...(opts.token ? { headers: { authorization: `Bearer ${opts.token}` } } : {}),
        ...(opts.payload !== undefined ? { payload: opts.payload as object } : {}),
      });
      return res.json() as Record<string, unknown>;
    };

    const email = `ser-${randomUUID().slice(0, 8)}@example.org`;
    const password = 'Correct-horse-battery-staple-9';
    const registered = await send('POST', '/api/user/register', { payload: { email, password } });
    const token = String(registered['token']);
    const userId = (await accounts.findByEmail(email))!.id;
    await accounts.setAdmin(userId, true);
    await send('POST', '/api/user/login', { payload: { email, password } });
    await send('POST', '/api/user/login', { payload: { email, password: 'wrong password entirely' } });
    await send('POST', '/api/user/mnemonic', { token, payload: { password } });
    await send('GET', `/api/user/mnemonic?password=${encodeURIComponent(password)}`, { token });
    await send('POST', '/api/user/import-wallet', {
      payload: { email: `w-${email}`, password, mnemonic: MNEMONIC },
    });
    await send('POST', '/api/user/generate-calendar-token', { token });
    await send('POST', '/api/user/revoke-calendar-token', { token });

    const published = await send('POST', '/api/records/newRecord?recordType=post', {
      token,
      payload: {
        basic: { name: 'Serialized', description: 'all fields', language: 'en', date: 1730505600 },
        post: { articleText: 'every field' },
      },
    });
    await send('GET', '/api/records?resolveDepth=2&summarizeTags=true&limit=5');
    await send('GET', '/api/records?recordType=workout&resolveDepth=1&includeSigs=false&includePubKeys=false');
    await send('GET', '/api/records/recordTypes');
    await send('GET', `/api/records/${encodeURIComponent(records[1]!.oip.did)}?resolveDepth=1`);
    await send('GET', '/api/records/did:gun:nothing:here');
    await send('GET', `/api/records/creator/${encodeURIComponent(String(records[0]!.oip.creator.didAddress))}`);
    await send('GET', '/api/records/creator/did:arweave:nobody');
    await send('POST', '/api/records/deleteRecord', { token, payload: { delete: { did: String(published['did']) } } });
    const indexed = { ...records[0]!, oip: { ...records[0]!.oip, did: 'did:gun:647f79c2a338:indexed_1' } };
    await send('POST', '/api/records/index', { token, payload: indexed });
    await send('POST', '/api/records/index', { token, payload: { data: {}, oip: { did: 'did:gun:x:y' } } });

    await send('GET', '/api/templates');
    await send('GET', '/api/templates/exercise');
    await send('GET', '/api/organizations');
    await send('GET', '/api/organizations/club1');
    await send('GET', '/api/creators');

    await send('GET', '/api/user/admin/users', { token });
    await send('POST', '/api/user/admin/update-status', { token, payload: { userId, field: 'paymentStatus' } });
    await send('POST', '/api/user/admin/update-status', { token, payload: { userId, field: 'other' } });
    await send('GET', '/api/admin/dlq', { token });
    await send('GET', '/api/admin/dlq/groups', { token });
    await send('GET', '/api/admin/dlq/did:gun:none:here', { token });
    await send('POST', '/api/admin/dlq/replay', { token, payload: {} });

    await send('GET', '/health');
    await send('GET', '/api/health/gun-sync');
    await send('GET', '/api/metrics/gun-cache');
    await send('POST', '/api/health/gun-sync/force');
    await send('GET', '/api/records?limit=nope');
    await send('POST', '/api/records/newRecord?recordType=post', { payload: {} });
    await send('POST', '/api/records/newRecord?recordType=post', { token: 'not.a.token', payload: {} });

    const walked = new Set(answers.map((a) => `${a.route} ${a.status}`));
    // Successes and errors of most routes were walked (a route that failed to answer would show here).
    for (const seen of [
      'POST /api/user/register 201',
      'POST /api/user/login 400',
      'POST /api/user/import-wallet 201',
      'POST /api/records/newRecord 200',
      'POST /api/records/deleteRecord 200',
      'POST /api/records/index 200',
      'GET /api/records 200',
      'GET /api/records/:did 200',
      'GET /api/records/:did 404',
      'GET /api/records/creator/:didAddress 404',
      'GET /api/templates/:name 200',
      'GET /api/organizations/:id 200',
      'POST /api/user/admin/update-status 400',
      'GET /api/admin/dlq/:did 404',
      'GET /api/health/gun-sync 200',
      'POST /api/health/gun-sync/force 400',
    ])
      expect([...walked], seen).toContain(seen);
    expect(answers.length).toBeGreaterThan(35);
    // Key order may differ (declared properties come first); names, values and types may not.
    const changed = answers.filter((a) => !isDeepStrictEqual(a.sent, a.handed));
    expect(changed.map((a) => ({ route: a.route, status: a.status, handed: a.handed, sent: a.sent }))).toEqual([]);
  });
});
