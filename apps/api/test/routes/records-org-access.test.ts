// Every legacy access level through the records routes, over a real SQLite store: private,
// shared (shared_with keys) and organization records (members by admin key, Open Join, or
// Auto-Enroll by the request's Origin / Referer / Host against the organization's webUrl), for
// anonymous callers, owners, shared_with users, members and non-members; lists, ?did=, search,
// /api/records/:did, drefs and the recordTypes counts.
import { describe, expect, it } from 'vitest';
import type { OipRecord } from '@oip/record-store';
import { rec, useApi } from '../helpers.js';
import { signToken } from '../jwt.js';

const SECRET = 'test-secret-of-at-least-16-chars';
const PUB = '9a1b2c3d4e5f';
const token = (publicKey: string) =>
  signToken(
    {
      userId: `u-${publicKey}`,
      email: `${publicKey}@example.org`,
      publicKey,
      isAdmin: false,
      scope: 'full',
      tokenType: 'standard',
    },
    SECRET,
  );
const USERS = ['pk-alice', 'pk-carol', 'pk-dora', 'pk-erin'] as const;
type User = (typeof USERS)[number];
const start = useApi({ accountsFor: USERS.map(token) });

const did = (key: string): string => `did:gun:${PUB}:${key}`;
const withAccess = (r: OipRecord, extra: Record<string, Record<string, unknown>>): OipRecord => ({
  ...r,
  data: { ...r.data, ...extra },
});
const note = (key: string, extra: Record<string, Record<string, unknown>> = {}) =>
  withAccess(rec(`${PUB}:${key}`, 'note', {}, { name: `memo ${key}` }), extra);

function fixture(): OipRecord[] {
  return [
    // Organizations: admins only (Invite Only), Open Join (enum index), Auto-Enroll for fitnessally.io.
    rec(`${PUB}:org-admins`, 'organization', {
      org_handle: 'admins',
      admin_public_keys: ['pk-dora'],
      membership_policy: 'Invite Only',
    }),
    rec(`${PUB}:org-open`, 'organization', { org_handle: 'open', adminPublicKeys: 'pk-zed', membershipPolicy: 3 }),
    rec(
      `${PUB}:org-auto`,
      'organization',
      { org_handle: 'auto', admin_public_keys: ['pk-zed'], membership_policy: 'Auto-Enroll App Users' },
      { webUrl: 'https://fitnessally.io' },
    ),
    note('public'),
    note('private', { accessControl: { access_level: 'private', owner_public_key: 'pk-alice' } }),
    note('shared', {
      accessControl: { access_level: 'shared', owner_public_key: 'pk-alice', shared_with: ['pk-carol'] },
    }),
    note('for-admins', {
      accessControl: { access_level: 'organization', owner_public_key: 'pk-alice', shared_with: [did('org-admins')] },
    }),
    note('for-open', {
      accessControl: { access_level: 'organization', owner_public_key: 'pk-alice', shared_with: did('org-open') },
    }),
    note('for-auto', {
      accessControl: { access_level: 'organization', owner_public_key: 'pk-alice', shared_with: [did('org-auto')] },
    }),
    rec(`${PUB}:workout`, 'workout', { exercise: [did('public'), did('private'), did('shared'), did('for-admins')] }),
  ];
}

const ALL_NOTES = ['public', 'private', 'shared', 'for-admins', 'for-open', 'for-auto'];
/** Who sees which notes (without an Origin of the auto-enroll organization). */
const SEES: Record<'anonymous' | User, string[]> = {
  anonymous: ['public'],
  'pk-alice': ALL_NOTES,
  'pk-carol': ['public', 'shared', 'for-open'],
  'pk-dora': ['public', 'for-admins', 'for-open'],
  'pk-erin': ['public', 'for-open'],
};

const headersOf = (who: 'anonymous' | User, extra: Record<string, string> = {}) =>
  who === 'anonymous' ? extra : { authorization: `Bearer ${token(who)}`, ...extra };
const notesOf = (body: { records: Array<{ oip: { did: string } }> }) =>
  body.records.map((r) => r.oip.did.slice(did('').length)).sort();
const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

describe('records routes: access levels', () => {
  it.each(Object.keys(SEES) as Array<keyof typeof SEES>)(
    '%s: list, search and counts show only what the caller may read',
    async (who) => {
      const { app } = await start(fixture(), { jwtSecret: SECRET });
      const want = [...SEES[who]].sort();
      for (const url of [
        '/api/records?recordType=note&limit=50',
        '/api/records?search=memo&limit=50',
        '/api/records?search=memo&limit=50&exactTotal=true',
      ]) {
        const res = await app.inject({ url, headers: headersOf(who) });
        expect(res.statusCode, url).toBe(200);
        const body = res.json();
        expect(notesOf(body), url).toEqual(want);
        expect(body.searchResults, url).toBe(want.length);
      }
      expect(
        (await app.inject({ url: '/api/records?recordType=note', headers: headersOf(who) })).json().totalRecords,
      ).toBe(want.length);
      const types = (await app.inject({ url: '/api/records/recordTypes', headers: headersOf(who) })).json();
      expect(
        Object.fromEntries(
          types.recordTypes.map((t: { recordType: string; count: number }) => [t.recordType, t.count]),
        ),
      ).toEqual({ note: want.length, organization: 3, workout: 1 });
      expect(types.totalRecordTypes).toBe(3);
    },
  );

  it('auto-enroll admits a caller whose Origin, Referer or Host is the organization domain or a subdomain of it, and no lookalike', async () => {
    const { app } = await start(fixture(), { jwtSecret: SECRET });
    const sees = async (headers: Record<string, string>) =>
      notesOf(
        (
          await app.inject({ url: '/api/records?recordType=note&limit=50', headers: headersOf('pk-erin', headers) })
        ).json(),
      );
    const admitted: Array<Record<string, string>> = [
      { origin: 'https://fitnessally.io' },
      { origin: 'https://app.fitnessally.io' },
      { referer: 'https://www.fitnessally.io/plans?x=1' },
      { host: 'api.fitnessally.io:3005' },
    ];
    for (const headers of admitted) {
      expect(await sees(headers), JSON.stringify(headers)).toEqual(['for-auto', 'for-open', 'public']);
    }
    const refused: Array<Record<string, string>> = [
      { origin: 'https://evilfitnessally.io' },
      { origin: 'https://fitnessally.io.evil.example' },
      { referer: 'not a url at all' },
    ];
    for (const headers of refused) {
      expect(await sees(headers), JSON.stringify(headers)).toEqual(['for-open', 'public']);
    }
    // Anonymous callers read public records only, from any origin.
    expect(
      notesOf(
        (
          await app.inject({
            url: '/api/records?recordType=note&limit=50',
            headers: { origin: 'https://fitnessally.io' },
          })
        ).json(),
      ),
    ).toEqual(['public']);
  });

  it('a restricted DID asked by a stranger answers exactly as a missing one, by ?did= and by /api/records/:did', async () => {
    const { app } = await start(fixture(), { jwtSecret: SECRET });
    for (const [who, key] of [
      ['anonymous', 'private'],
      ['pk-erin', 'shared'],
      ['pk-carol', 'for-admins'],
      ['pk-erin', 'for-auto'],
    ] as const) {
      const [hidden, missing] = await Promise.all(
        [did(key), did('no-such-record')].map((d) =>
          app.inject({ url: `/api/records?did=${encodeURIComponent(d)}`, headers: headersOf(who) }),
        ),
      );
      expect([hidden!.statusCode, hidden!.json()], `${who} ${key}`).toEqual([missing!.statusCode, missing!.json()]);
      expect(hidden!.json().records).toEqual([]);
      const [byDid, noDid] = await Promise.all(
        [did(key), did('no-such-record')].map((d) => app.inject({ url: `/api/records/${d}`, headers: headersOf(who) })),
      );
      expect(byDid!.statusCode).toBe(404);
      expect([byDid!.statusCode, withoutRequestId(byDid!.json())], `${who} ${key}`).toEqual([
        noDid!.statusCode,
        withoutRequestId(noDid!.json()),
      ]);
    }
    for (const [who, key] of [
      ['pk-alice', 'private'],
      ['pk-carol', 'shared'],
      ['pk-dora', 'for-admins'],
      ['pk-erin', 'for-open'],
    ] as const) {
      const listed = (
        await app.inject({ url: `/api/records?did=${encodeURIComponent(did(key))}`, headers: headersOf(who) })
      ).json();
      expect(notesOf(listed), `${who} ${key}`).toEqual([key]);
      const res = await app.inject({ url: `/api/records/${did(key)}`, headers: headersOf(who) });
      expect([res.statusCode, res.json().oip.did], `${who} ${key}`).toEqual([200, did(key)]);
    }
  });

  it('drefs to records the caller may not read stay unresolved strings', async () => {
    const { app } = await start(fixture(), { jwtSecret: SECRET });
    const exercises = async (who: 'anonymous' | User) => {
      const res = await app.inject({ url: `/api/records/${did('workout')}?resolveDepth=1`, headers: headersOf(who) });
      expect(res.statusCode).toBe(200);
      return (res.json().data.workout.exercise as unknown[]).map((e) =>
        typeof e === 'string' ? e : (e as { data: { basic: { name: string } } }).data.basic.name,
      );
    };
    expect(await exercises('anonymous')).toEqual(['memo public', did('private'), did('shared'), did('for-admins')]);
    expect(await exercises('pk-carol')).toEqual(['memo public', did('private'), 'memo shared', did('for-admins')]);
    expect(await exercises('pk-dora')).toEqual(['memo public', did('private'), did('shared'), 'memo for-admins']);
    expect(await exercises('pk-alice')).toEqual(['memo public', 'memo private', 'memo shared', 'memo for-admins']);
    // The same through a list page.
    const listed = (
      await app.inject({ url: '/api/records?recordType=workout&resolveDepth=1', headers: headersOf('pk-erin') })
    ).json();
    expect(listed.records[0].data.workout.exercise.slice(1)).toEqual([
      did('private'),
      did('shared'),
      did('for-admins'),
    ]);
  });
});
