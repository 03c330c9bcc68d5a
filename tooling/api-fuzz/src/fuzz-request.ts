// One generated request, as data: what fast-check generates, shrinks and prints. Things that exist
// only at run time (records, media, accounts of the stack) appear as references `@@did:3@@`,
// resolved when the request is sent, so a seed generates the same requests on every run and a
// counterexample reads the same everywhere.

/** Who sends the request: nobody, the signed-in user, an admin, a garbage credential, a deleted account. */
export type Identity = 'anonymous' | 'user' | 'admin' | 'garbage' | 'deleted';

export const IDENTITIES: readonly Identity[] = ['anonymous', 'user', 'admin', 'garbage', 'deleted'];

export interface FuzzRequest {
  /** What it was generated for: `GET /api/records/{did}`, `gateway /gun-relay/*`, `extra /metrics`. */
  route: string;
  /** Generated to satisfy the route's schema, or to break it. */
  kind: 'valid' | 'invalid';
  method: string;
  /** Path segments after the leading `/`, each percent-encoded when sent. */
  segments: string[];
  /** Query pairs, percent-encoded when sent (a name may repeat). */
  query: Array<[string, string]>;
  /** Appended to the query verbatim (malformed percent-encodings, stray separators). */
  rawQuery?: string;
  identity: Identity;
  /** The Authorization header sent for identity `garbage`. */
  garbageAuth?: string;
  /** Extra headers (content-type among them). */
  headers: Record<string, string>;
  body?: string;
}

/** Kinds of run-time references a request may hold. */
export type FixtureKind = 'did' | 'deletable' | 'media' | 'creator' | 'pubkey' | 'email' | 'soul' | 'handle';

/** A reference to the `index`th fixture of `kind` (modulo how many the stack made). */
export const ref = (kind: FixtureKind, index: number): string => `@@${kind}:${index}@@`;

/** What the stack created for requests to refer to. */
export type FuzzFixtures = Record<FixtureKind, readonly string[]>;

const REF = /@@(did|deletable|media|creator|pubkey|email|soul|handle):(\d+)@@/g;

/** `text` with every fixture reference replaced by the fixture (a kind with none stays as written). */
export function resolveRefs(text: string, fixtures: FuzzFixtures): string {
  return text.replace(REF, (whole, kind: FixtureKind, i: string) => {
    const list = fixtures[kind];
    return list.length === 0 ? whole : list[Number(i) % list.length]!;
  });
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Percent-encodes the UTF-8 bytes of `s` (lone surrogates become U+FFFD, as any client would send). */
export function percentEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += UNRESERVED.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The request line's target: `/seg/seg?name=value&…` with references resolved and everything encoded. */
export function targetOf(r: FuzzRequest, fixtures: FuzzFixtures): string {
  const path = '/' + r.segments.map((s) => percentEncode(resolveRefs(s, fixtures))).join('/');
  const pairs = r.query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(resolveRefs(v, fixtures))}`);
  if (r.rawQuery !== undefined) pairs.push(r.rawQuery);
  return pairs.length > 0 ? `${path}?${pairs.join('&')}` : path;
}

/** One line per request for reports: method, target, identity, content type and the start of the body. */
export function describeRequest(r: FuzzRequest, fixtures?: FuzzFixtures): string {
  const target = fixtures
    ? targetOf(r, fixtures)
    : targetOf(r, { did: [], deletable: [], media: [], creator: [], pubkey: [], email: [], soul: [], handle: [] });
  const auth = r.identity === 'garbage' ? `garbage auth ${JSON.stringify(r.garbageAuth)}` : r.identity;
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  const body =
    r.body === undefined
      ? ''
      : ` body(${r.body.length} chars) ${JSON.stringify(r.body.length > 300 ? `${r.body.slice(0, 300)}…` : r.body)}`;
  return `${r.method} ${target.length > 400 ? `${target.slice(0, 400)}…` : target} [${r.kind} ${r.route}, ${auth}${headers ? `, ${headers}` : ''}]${body}`;
}
