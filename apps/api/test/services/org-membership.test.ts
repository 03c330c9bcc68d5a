// Organization membership as legacy decides it (org-membership.ts), over a real SQLite store.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteRecordStore, type OipRecord, type SqliteRecordStore } from '@oip/record-store';
import {
  OrgMembership,
  hostnameOf,
  membershipPolicy,
  orgFacts,
  requestHostnames,
} from '../../src/services/org-membership.js';
import { rec } from '../helpers.js';

const orgRecord = (
  soul: string,
  fields: Record<string, unknown>,
  basic: Record<string, unknown> = {},
  oipOrg?: Record<string, unknown>,
): OipRecord => {
  const r = rec(soul, 'organization', fields, basic);
  if (oipOrg) r.oip['organization'] = oipOrg;
  return r;
};

describe('membership rules', () => {
  it('reads the policy by enum index or by name in any spelling', () => {
    expect([1, 'Auto-Enroll App Users', 'app-user-auto', 'APP_USER_AUTO'].map(membershipPolicy)).toEqual(
      Array(4).fill('auto-enroll'),
    );
    expect([3, 'Open Join', 'open-join'].map(membershipPolicy)).toEqual(Array(3).fill('open-join'));
    expect([0, 2, 'Invite Only', 'Token-Gated Membership', '3', undefined, null].map(membershipPolicy)).toEqual(
      Array(7).fill('admins-only'),
    );
  });

  it('reads admins, policy and webUrl wherever legacy kept them', () => {
    const snake = orgFacts(
      orgRecord(
        'o:a',
        { admin_public_keys: ['k1', 'k2'], membership_policy: 'Open Join' },
        { webUrl: 'https://FitnessAlly.io/app' },
      ),
    );
    expect(snake).toMatchObject({
      admins: ['k1', 'k2'],
      policy: 'open-join',
      domain: 'fitnessally.io',
      dids: ['did:gun:o:a'],
    });
    const camel = orgFacts(orgRecord('o:b', { adminPublicKeys: 'k3', membershipPolicy: 1, webUrl: 'fitnessally.io' }));
    expect(camel).toMatchObject({ admins: ['k3'], policy: 'auto-enroll', domain: 'fitnessally.io' });
    const inOip = orgFacts(
      orgRecord('o:c', {}, {}, { adminPublicKeys: ['k4'], membershipPolicy: 'Auto-Enroll App Users' }),
    );
    expect(inOip).toMatchObject({ admins: ['k4'], policy: 'auto-enroll', domain: null });
  });

  it('takes hostnames from Origin, Referer and Host', () => {
    expect(
      requestHostnames({
        origin: 'https://App.Example.org',
        referer: 'https://www.example.org/x?y',
        host: 'api.example.org:3005',
      }),
    ).toEqual(['app.example.org', 'www.example.org', 'api.example.org']);
    expect(requestHostnames({ referer: 'not a url', host: '' })).toEqual([]);
    expect(hostnameOf('http://[::1]:80/')).toBe('[::1]');
  });
});

describe('OrgMembership', () => {
  let dir = '';
  let store: SqliteRecordStore | undefined;
  afterEach(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the organizations a caller is a member of, none for anonymous, reading the store again after clear()', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'api-orgs-'));
    store = createSqliteRecordStore({ dataDir: dir });
    await store.bulkUpsert([
      orgRecord('o:admins', { admin_public_keys: ['pk-dora'], membership_policy: 'Invite Only' }),
      orgRecord('o:open', { membership_policy: 'Open Join' }),
      orgRecord('o:auto', { membership_policy: 'Auto-Enroll App Users' }, { webUrl: 'https://fitnessally.io' }),
      orgRecord('o:gated', { admin_public_keys: ['pk-zed'], membership_policy: 'Token-Gated Membership' }),
    ]);
    const orgs = new OrgMembership(store, { ttlMs: 60_000 });
    const sorted = async (key: string | null, headers = {}) => (await orgs.memberOrgDids(key, headers)).sort();
    expect(await sorted(null, { origin: 'https://fitnessally.io' })).toEqual([]);
    expect(await sorted('pk-erin')).toEqual(['did:gun:o:open']);
    expect(await sorted('pk-dora')).toEqual(['did:gun:o:admins', 'did:gun:o:open']);
    expect(await sorted('pk-erin', { origin: 'https://app.fitnessally.io' })).toEqual([
      'did:gun:o:auto',
      'did:gun:o:open',
    ]);
    expect(await sorted('pk-zed')).toEqual(['did:gun:o:gated', 'did:gun:o:open']);
    // A new organization shows once the kept list is dropped (or its TTL passes).
    await store.bulkUpsert([orgRecord('o:new', { admin_public_keys: 'pk-erin' })]);
    expect(await sorted('pk-erin')).toEqual(['did:gun:o:open']);
    orgs.clear();
    expect(await sorted('pk-erin')).toEqual(['did:gun:o:new', 'did:gun:o:open']);
  });
});
