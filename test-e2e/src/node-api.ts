// A node's api as the e2e suites use it, over real HTTP through @oip/client (typed by the api's
// OpenAPI document): accounts, publishing, deleting, reading every record DID (all pages),
// dead-letter admin, media upload and download. `call` and `expect` send ad-hoc requests with
// fetch (any path and body, for hostile input). Every request has a time bound; an error answer
// throws naming the node, with the status and the api's code.
import { createHash } from 'node:crypto';
import {
  createOipClient,
  formData,
  ok,
  type FetchResult,
  type OipClient,
  type paths,
  type SuccessData,
} from '@oip/client';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface Account {
  token: string;
  publicKey: string;
}

const REQUEST_TIMEOUT_MS = 30_000;
const MEDIA_TIMEOUT_MS = 60_000;
/** The store's largest page. */
const PAGE = 1000;

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** GET /api/admin/dlq's filters (offset 0 and limit 100 unless given). */
export type DeadLetterQuery = Partial<paths['/api/admin/dlq']['get']['parameters']['query']>;
/** POST /api/admin/dlq/replay's filter (limit 100 unless given). */
export type ReplayFilter = Partial<
  NonNullable<paths['/api/admin/dlq/replay']['post']['requestBody']>['content']['application/json']
>;

export class NodeApi {
  /** A client without a token. */
  readonly oip: OipClient;

  constructor(
    readonly base: string,
    readonly name: string,
  ) {
    this.oip = createOipClient({ baseUrl: base, timeoutMs: REQUEST_TIMEOUT_MS });
  }

  /** A client sending `token`. */
  as(token: string): OipClient {
    return createOipClient({ baseUrl: this.base, token, timeoutMs: REQUEST_TIMEOUT_MS });
  }

  /** The success body of a client call; an error answer throws naming this node. */
  async ok<R extends FetchResult>(call: Promise<R>): Promise<SuccessData<R>> {
    try {
      return await ok(call);
    } catch (err) {
      // Kept as thrown (its code, status, body), named after the node.
      (err as Error).message = `${this.name}: ${(err as Error).message}`;
      throw err;
    }
  }

  async call<T = Record<string, unknown>>(
    path: string,
    init: { method?: string; token?: string; body?: unknown; form?: FormData; timeoutMs?: number } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (init.token) headers['authorization'] = `Bearer ${init.token}`;
    let body: string | FormData | undefined;
    if (init.form) body = init.form;
    else if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    const res = await fetch(`${this.base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body,
      signal: AbortSignal.timeout(init.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body: parsed as T };
  }

  async expect<T = Record<string, unknown>>(
    status: number,
    path: string,
    init: Parameters<NodeApi['call']>[1] = {},
  ): Promise<T> {
    const a = await this.call<T>(path, init);
    if (a.status !== status)
      throw new Error(
        `${this.name} ${init.method ?? 'GET'} ${path}: expected ${status}, got ${a.status} ${JSON.stringify(a.body).slice(0, 500)}`,
      );
    return a.body;
  }

  /** Registers and logs in. */
  async account(email: string, password = 'a long e2e password'): Promise<Account> {
    await this.ok(this.oip.POST('/api/user/register', { body: { email, password } }));
    const login = await this.ok(this.oip.POST('/api/user/login', { body: { email, password } }));
    return { token: login.token, publicKey: login.publicKey };
  }

  /** Publishes one record to GUN through this node; its DID. */
  async publish(token: string, recordType: string, localId: string, data: Record<string, unknown>): Promise<string> {
    const r = await this.ok(
      this.as(token).POST('/api/records/newRecord', {
        params: { query: { recordType, storage: 'gun', localId } },
        body: data,
      }),
    );
    return r.did;
  }

  async deleteRecord(token: string, did: string): Promise<void> {
    await this.ok(this.as(token).POST('/api/records/deleteRecord', { body: { delete: { did } } }));
  }

  /** Every record DID the node's store answers, all pages read (sorted; duplicates kept). */
  async allDids(): Promise<string[]> {
    const out: string[] = [];
    for (let page = 1; page <= 10; page++) {
      const r = await this.ok(
        this.oip.GET('/api/records', {
          params: { query: { limit: String(PAGE), page: String(page), sortBy: 'indexedAt:asc', exactTotal: 'true' } },
        }),
      );
      out.push(...r.records.map((x) => x.oip?.did ?? '(no did)'));
      if (page * PAGE >= r.searchResults) return out.sort();
    }
    throw new Error(`${this.name}: more than ${10 * PAGE} records`);
  }

  /** One page of the dead-letter queue (admin). */
  async deadLetters(token: string, query: DeadLetterQuery = {}) {
    return this.ok(this.as(token).GET('/api/admin/dlq', { params: { query: { offset: 0, limit: 100, ...query } } }));
  }

  /** Replays the dead letters matching `body` (admin); how many were replayed and how many were stale. */
  async replayDeadLetters(token: string, body: ReplayFilter) {
    return this.ok(this.as(token).POST('/api/admin/dlq/replay', { body: { limit: 100, ...body } }));
  }

  /** Uploads public media (multipart `file` + `access_level=public`); its mediaId. */
  async uploadPublic(token: string, bytes: Uint8Array, name: string, mime: string): Promise<string> {
    const file = new File([bytes], name, { type: mime });
    const r = await this.ok(
      createOipClient({ baseUrl: this.base, token, timeoutMs: MEDIA_TIMEOUT_MS }).POST('/api/media/upload', {
        body: { file, access_level: 'public' },
        bodySerializer: formData,
      }),
    );
    return r.mediaId;
  }

  /** GET /api/media/<id>: status and bytes (empty unless 200 or 206). */
  async media(mediaId: string): Promise<{ status: number; bytes: Buffer }> {
    const media = createOipClient({ baseUrl: this.base, timeoutMs: MEDIA_TIMEOUT_MS });
    const r = await media.GET('/api/media/{mediaId}', { params: { path: { mediaId } }, parseAs: 'arrayBuffer' });
    return { status: r.response.status, bytes: r.data ? Buffer.from(r.data) : Buffer.alloc(0) };
  }
}

/** Runs `fn` over `items`, `concurrency` at a time; results in order. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}
