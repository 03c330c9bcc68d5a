// Records at every legacy access level and the viewers who read them, for the access contract
// (access-contract.ts) and the SQLite v6 → v7 migration test. DIDs are `did:gun:acl:<key>`.
import type { AccessOption, OipRecord } from '../../src/index.js';
import { makeRecord } from './records.js';

export const acl = (key: string): string => `did:gun:acl:${key}`;

export const ORG_1 = 'did:arweave:org-one';
export const ORG_2 = 'did:arweave:org-two';

/** Key → the categories its record adds (accessControl / conversationSession); in block order. */
const SPECS: Array<[string, Record<string, Record<string, unknown>>]> = [
  ['private-owner', { accessControl: { access_level: 'private', owner_public_key: 'pk-alice' } }],
  ['private-creator', { accessControl: { access_level: 'private', created_by: 'pk-bob' } }],
  [
    'shared-string',
    { accessControl: { access_level: 'shared', owner_public_key: 'pk-alice', shared_with: 'pk-carol' } },
  ],
  [
    'shared-array',
    { accessControl: { access_level: 'shared', created_by: 'pk-bob', shared_with: ['pk-carol', 'pk-dave'] } },
  ],
  ['org-string', { accessControl: { access_level: 'organization', owner_public_key: 'pk-alice', shared_with: ORG_1 } }],
  ['org-array', { accessControl: { access_level: 'organization', owner_public_key: 'pk-erin', shared_with: [ORG_2] } }],
  ['session-private', { conversationSession: { is_private: true, owner_public_key: 'pk-dave' } }],
  // An organization DID at level shared, a key at level organization: neither grants across.
  ['shared-names-org', { accessControl: { access_level: 'shared', owner_public_key: 'pk-erin', shared_with: ORG_1 } }],
  [
    'org-names-key',
    { accessControl: { access_level: 'organization', owner_public_key: 'pk-erin', shared_with: ['pk-carol'] } },
  ],
  ['public-level', { accessControl: { access_level: 'public', owner_public_key: 'pk-alice' } }],
  ['no-level', {}],
  ['session-open', { conversationSession: { is_private: false, owner_public_key: 'pk-dave' } }],
  ['unknown-level', { accessControl: { access_level: 'friends', owner_public_key: 'pk-alice' } }],
];

/** Every record is a `note` named "memo <key>", tagged `acl` and its own key, at block 100 + its index. */
export function accessRecords(): OipRecord[] {
  return SPECS.map(([key, data], i) =>
    makeRecord({
      soul: `acl:${key}`,
      recordType: 'note',
      name: `memo ${key}`,
      tags: ['acl', key],
      inArweaveBlock: 100 + i,
      data,
    }),
  );
}

const PUBLIC = ['public-level', 'no-level', 'session-open', 'unknown-level'];

export interface AccessRow {
  name: string;
  access: AccessOption;
  /** Keys of the records this viewer sees, public ones included. */
  sees: string[];
}

export const accessTable: AccessRow[] = [
  { name: 'anonymous', access: { viewerPublicKey: null }, sees: PUBLIC },
  {
    name: 'anonymous with organizations (ignored)',
    access: { viewerPublicKey: null, viewerOrgDids: [ORG_1, ORG_2] },
    sees: PUBLIC,
  },
  {
    name: 'owner_public_key',
    access: { viewerPublicKey: 'pk-alice' },
    sees: ['private-owner', 'shared-string', 'org-string', ...PUBLIC],
  },
  { name: 'created_by', access: { viewerPublicKey: 'pk-bob' }, sees: ['private-creator', 'shared-array', ...PUBLIC] },
  {
    name: 'shared_with string and array',
    access: { viewerPublicKey: 'pk-carol' },
    sees: ['shared-string', 'shared-array', ...PUBLIC],
  },
  {
    name: 'shared_with array and conversationSession owner',
    access: { viewerPublicKey: 'pk-dave' },
    sees: ['shared-array', 'session-private', ...PUBLIC],
  },
  {
    name: 'owner of org records',
    access: { viewerPublicKey: 'pk-erin' },
    sees: ['org-array', 'shared-names-org', 'org-names-key', ...PUBLIC],
  },
  {
    name: 'member of one org',
    access: { viewerPublicKey: 'pk-frank', viewerOrgDids: [ORG_1] },
    sees: ['org-string', ...PUBLIC],
  },
  {
    name: 'member of both orgs',
    access: { viewerPublicKey: 'pk-grace', viewerOrgDids: [ORG_2, ORG_1] },
    sees: ['org-string', 'org-array', ...PUBLIC],
  },
  {
    name: 'non-member',
    access: { viewerPublicKey: 'pk-mallory', viewerOrgDids: ['did:arweave:org-three'] },
    sees: PUBLIC,
  },
  { name: 'stranger', access: { viewerPublicKey: 'pk-mallory' }, sees: PUBLIC },
];

/** The keys of `sees` in the default page order (block descending = fixture order reversed). */
export function inBlockOrder(sees: readonly string[]): string[] {
  const order = SPECS.map(([key]) => key);
  return [...sees].sort((a, b) => order.indexOf(b) - order.indexOf(a));
}
