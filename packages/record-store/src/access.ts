// Who may read which record: the legacy node's access levels (helpers/elasticsearch.js, its
// privacy filter; organizationEncryption.js for membership), as one rule. `recordGrants` reads
// it from a record; both stores' get/getMany apply it through `isVisible`, SQLite indexes its
// grants (record-columns.ts, schema v7) and Elasticsearch states it as query DSL
// (es-legacy-filters.ts `accessClause`), so searches and counts filter in the store query.
import { StoreInvalidError } from './errors.js';
import type { AccessOption, OipRecord, ReadOptions } from './types.js';
import { isObject } from '@oip/records';

/** The `accessControl.access_level` values that restrict a record. */
export const RESTRICTED_LEVELS: readonly string[] = ['private', 'shared', 'organization'];
/** Most organization DIDs one viewer's access may name. */
export const MAX_VIEWER_ORG_DIDS = 256;
/** Longest viewer public key or organization DID accepted in an access option. */
export const MAX_GRANTEE_LENGTH = 2048;
/**
 * Most grantees (owner keys, shared_with entries) read from one record; entries past it grant
 * nothing (both stores' get and the SQLite index agree; an Elasticsearch search still matches them).
 */
export const MAX_RECORD_GRANTEES = 1000;

export interface RecordGrants {
  /** Level private / shared / organization, or a legacy private conversation session. */
  restricted: boolean;
  /** Public keys that may read it: owner, creator, session owner, and for `shared` its shared_with. */
  keys: string[];
  /** For `organization`: the DIDs of the organizations whose members may read it. */
  orgs: string[];
}

const text = (v: unknown): string[] => (typeof v === 'string' ? [v] : []);
/** shared_with: one string or an array of them. */
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : text(v);

/** The record's access facts (a public record grants nothing: everyone reads it). */
export function recordGrants(record: OipRecord): RecordGrants {
  const data = isObject(record.data) ? record.data : {};
  const ac = isObject(data['accessControl']) ? data['accessControl'] : {};
  const session = isObject(data['conversationSession']) ? data['conversationSession'] : {};
  const level = ac['access_level'];
  const restricted = (typeof level === 'string' && RESTRICTED_LEVELS.includes(level)) || session['is_private'] === true;
  if (!restricted) return { restricted: false, keys: [], orgs: [] };
  const keys = new Set<string>();
  const orgs = new Set<string>();
  const add = (to: Set<string>, values: string[]) => {
    for (const v of values) if (v !== '' && keys.size + orgs.size < MAX_RECORD_GRANTEES) to.add(v);
  };
  add(keys, [...text(ac['owner_public_key']), ...text(ac['created_by']), ...text(session['owner_public_key'])]);
  if (level === 'shared') add(keys, strings(ac['shared_with']));
  if (level === 'organization') add(orgs, strings(ac['shared_with']));
  return { restricted: true, keys: [...keys], orgs: [...orgs] };
}

/**
 * The viewer's access, checked and bounded: STORE_ERR_INVALID for a malformed one. An anonymous
 * viewer (`viewerPublicKey` null or '') has no organizations: they see public records only.
 */
export function normalizeAccess(access: AccessOption): AccessOption {
  if (access === null || typeof access !== 'object') throw new StoreInvalidError('access must be an object');
  const v = access.viewerPublicKey;
  if (v !== null && typeof v !== 'string')
    throw new StoreInvalidError('access.viewerPublicKey must be a string or null');
  if (typeof v === 'string' && v.length > MAX_GRANTEE_LENGTH)
    throw new StoreInvalidError(`access.viewerPublicKey must be at most ${MAX_GRANTEE_LENGTH} characters`);
  const orgs = access.viewerOrgDids;
  if (orgs !== undefined) {
    if (!Array.isArray(orgs)) throw new StoreInvalidError('access.viewerOrgDids must be an array of DIDs');
    if (orgs.length > MAX_VIEWER_ORG_DIDS)
      throw new StoreInvalidError(`access.viewerOrgDids takes at most ${MAX_VIEWER_ORG_DIDS} DIDs`);
    for (const o of orgs) {
      if (typeof o !== 'string' || o === '' || o.length > MAX_GRANTEE_LENGTH) {
        throw new StoreInvalidError(
          `access.viewerOrgDids must hold non-empty strings of at most ${MAX_GRANTEE_LENGTH} characters`,
        );
      }
    }
  }
  if (v === null || v === '') return { viewerPublicKey: null };
  return orgs === undefined || orgs.length === 0
    ? { viewerPublicKey: v }
    : { viewerPublicKey: v, viewerOrgDids: [...new Set(orgs)] };
}

/** Read options with their access checked (normalizeAccess). */
export function normalizeReadOptions<T extends ReadOptions>(opts: T): T {
  return opts.access === undefined ? opts : { ...opts, access: normalizeAccess(opts.access) };
}

/**
 * Whether the viewer may read the record: always for a public one; for a restricted one, when
 * the viewer's key is among its keys or (level `organization`) one of the viewer's organizations
 * is among its orgs. No `access`: no filter (internal callers).
 */
export function isVisible(record: OipRecord, access: AccessOption | undefined): boolean {
  if (access === undefined) return true;
  const grants = recordGrants(record);
  if (!grants.restricted) return true;
  const viewer = access.viewerPublicKey;
  if (viewer === null || viewer === '') return false;
  if (grants.keys.includes(viewer)) return true;
  const orgs = access.viewerOrgDids ?? [];
  return grants.orgs.some((o) => orgs.includes(o));
}
