// Which organizations a caller is a member of, as the legacy node decides it
// (helpers/organizationEncryption.js isUserOrganizationMember / checkDomainBasedMembership), from
// the `organization` records of our own store: an admin (adminPublicKeys) is always a member;
// otherwise the membership policy decides: Open Join (3) admits every signed-in caller,
// Auto-Enroll App Users (1) the callers whose request comes from the organization's webUrl
// domain or a subdomain of it (Origin, Referer or Host), Invite Only (0) and Token-Gated (2)
// nobody. The records' access rule (@oip/record-store access.ts) takes the DIDs this returns.
// The organization records are read at most once per TTL (bounded list, one cache entry).
import { LRUCache } from 'lru-cache';
import { MAX_LIMIT, MAX_VIEWER_ORG_DIDS, type OipRecord, type RecordStore } from '@oip/record-store';
import { isObject } from '@oip/records';

export interface OrgMembershipOptions {
  /** How long the organization records read are used before they are read again. @defaultValue 30000 */
  ttlMs?: number;
  /** Most organization records read (newest first). @defaultValue 1000 */
  maxOrgs?: number;
}

/** The request headers auto-enroll membership reads. */
export interface RequestOriginHeaders {
  origin?: string | string[] | undefined;
  referer?: string | string[] | undefined;
  host?: string | string[] | undefined;
}

type Policy = 'admins-only' | 'open-join' | 'auto-enroll';

/** What membership needs of one organization record. */
export interface OrgFacts {
  /** The DIDs records name it by (oip.did, and oip.didTx when it differs). */
  dids: string[];
  admins: string[];
  policy: Policy;
  /** Lower-cased hostname of its webUrl, for auto-enroll. */
  domain: string | null;
}

const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];

/** Legacy's policy values: the enum index or its name in any spelling (`Open Join`, `open-join`). */
export function membershipPolicy(value: unknown): Policy {
  if (value === 1) return 'auto-enroll';
  if (value === 3) return 'open-join';
  if (typeof value !== 'string') return 'admins-only';
  const name = value.toLowerCase().replace(/[\s\-_]/g, '');
  if (name === 'appuserauto' || name === 'autoenrollappusers') return 'auto-enroll';
  if (name === 'openjoin') return 'open-join';
  return 'admins-only';
}

/** The hostname of a URL, or of a bare host (`example.org`, `example.org:8443`); null when it is none. */
export function hostnameOf(value: string): string | null {
  const text = value.trim();
  if (text === '' || text.length > 2048) return null;
  try {
    const hostname = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).hostname.toLowerCase();
    return hostname === '' ? null : hostname;
  } catch {
    return null;
  }
}

/** The facts of an organization record: legacy kept them under data.organization (snake_case as published, camelCase as indexed) or oip.organization. */
export function orgFacts(record: OipRecord): OrgFacts {
  const org = isObject(record.data['organization']) ? record.data['organization'] : {};
  const oipOrg = isObject(record.oip['organization']) ? record.oip['organization'] : {};
  const basic = isObject(record.data['basic']) ? record.data['basic'] : {};
  const admins = [
    ...strings(org['adminPublicKeys']),
    ...strings(org['admin_public_keys']),
    ...strings(oipOrg['adminPublicKeys']),
  ];
  const policy = membershipPolicy(org['membershipPolicy'] ?? org['membership_policy'] ?? oipOrg['membershipPolicy']);
  const webUrl = [basic['webUrl'], org['webUrl'], org['web_url']].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  const dids = [
    ...new Set([record.oip.did, record.oip.didTx].filter((d): d is string => typeof d === 'string' && d !== '')),
  ];
  return { dids, admins: [...new Set(admins)], policy, domain: webUrl === undefined ? null : hostnameOf(webUrl) };
}

/** The hostnames a request says it comes from (Origin, Referer, Host). */
export function requestHostnames(headers: RequestOriginHeaders): string[] {
  const out = new Set<string>();
  for (const value of [headers.origin, headers.referer, headers.host]) {
    for (const v of strings(value)) {
      const host = hostnameOf(v);
      if (host !== null) out.add(host);
    }
  }
  return [...out];
}

/** Whether a caller is a member of the organization (legacy isUserOrganizationMember). */
export function isMember(org: OrgFacts, publicKey: string, hostnames: readonly string[]): boolean {
  if (org.admins.includes(publicKey)) return true;
  if (org.policy === 'open-join') return true;
  if (org.policy === 'auto-enroll' && org.domain !== null) {
    const domain = org.domain;
    return hostnames.some((h) => h === domain || h.endsWith(`.${domain}`));
  }
  return false;
}

export class OrgMembership {
  readonly #store: RecordStore;
  readonly #maxOrgs: number;
  readonly #orgs: LRUCache<'orgs', OrgFacts[]>;

  constructor(store: RecordStore, opts: OrgMembershipOptions = {}) {
    this.#store = store;
    this.#maxOrgs = Math.min(MAX_LIMIT, Math.max(1, opts.maxOrgs ?? 1000));
    // One entry; fetch() shares one store read among concurrent requests.
    this.#orgs = new LRUCache<'orgs', OrgFacts[]>({
      max: 1,
      ttl: Math.max(1, opts.ttlMs ?? 30_000),
      fetchMethod: () => this.#readOrgs(),
    });
  }

  async #readOrgs(): Promise<OrgFacts[]> {
    const res = await this.#store.search({ recordType: 'organization', limit: this.#maxOrgs });
    return res.records.map(orgFacts);
  }

  /**
   * The DIDs of the organizations `publicKey` is a member of (newest organizations first, at
   * most MAX_VIEWER_ORG_DIDS); none for an anonymous caller, who reads public records only.
   */
  async memberOrgDids(publicKey: string | null, headers: RequestOriginHeaders): Promise<string[]> {
    if (publicKey === null || publicKey === '') return [];
    const orgs = (await this.#orgs.fetch('orgs')) ?? [];
    const hostnames = requestHostnames(headers);
    const out = new Set<string>();
    for (const org of orgs) {
      if (!isMember(org, publicKey, hostnames)) continue;
      for (const did of org.dids) if (out.size < MAX_VIEWER_ORG_DIDS) out.add(did);
    }
    return [...out];
  }

  clear(): void {
    this.#orgs.clear();
  }
}
