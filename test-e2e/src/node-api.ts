// A node's api as the two-node suite uses it, over real HTTP: accounts, publishing, deleting,
// reading every record DID (all pages), media upload/download, dead-letter admin. Every request
// has a time bound; a status other than the expected one throws with the body.
import { createHash } from 'node:crypto';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface Account {
  token: string;
  publicKey: string;
}

const REQUEST_TIMEOUT_MS = 30_000;
/** The store's largest page. */
const PAGE = 1000;

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export class NodeApi {
  constructor(
    readonly base: string,
    readonly name: string,
  ) {}

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

  /** Registers (201) and logs in (200). */
  async account(email: string, password = 'a long e2e password'): Promise<Account> {
    await this.expect(201, '/api/user/register', { method: 'POST', body: { email, password } });
    const login = await this.expect<{ token: string; publicKey: string }>(200, '/api/user/login', {
      method: 'POST',
      body: { email, password },
    });
    return { token: login.token, publicKey: login.publicKey };
  }

  /** Publishes one record to GUN through this node; its DID. */
  async publish(token: string, recordType: string, localId: string, data: Record<string, unknown>): Promise<string> {
    const r = await this.expect<{ did: string }>(
      200,
      `/api/records/newRecord?recordType=${encodeURIComponent(recordType)}&storage=gun&localId=${encodeURIComponent(localId)}`,
      {
        method: 'POST',
        token,
        body: data,
      },
    );
    return r.did;
  }

  async deleteRecord(token: string, did: string): Promise<void> {
    await this.expect(200, '/api/records/deleteRecord', { method: 'POST', token, body: { delete: { did } } });
  }

  /** Every record DID the node's store answers, all pages read (sorted; duplicates kept). */
  async allDids(): Promise<string[]> {
    const out: string[] = [];
    for (let page = 1; page <= 10; page++) {
      const r = await this.expect<{ searchResults: number; records: Array<{ oip: { did: string } }> }>(
        200,
        `/api/records?limit=${PAGE}&page=${page}&sortBy=indexedAt:asc&exactTotal=true`,
      );
      out.push(...r.records.map((x) => x.oip.did));
      if (page * PAGE >= r.searchResults) return out.sort();
    }
    throw new Error(`${this.name}: more than ${10 * PAGE} records`);
  }

  /** Uploads public media (multipart `file` + `access_level=public`); its mediaId. */
  async uploadPublic(token: string, bytes: Uint8Array, name: string, mime: string): Promise<string> {
    const form = new FormData();
    form.append('access_level', 'public');
    form.append('file', new Blob([bytes], { type: mime }), name);
    const r = await this.expect<{ mediaId: string; success: boolean }>(200, '/api/media/upload', {
      method: 'POST',
      token,
      form,
      timeoutMs: 60_000,
    });
    return r.mediaId;
  }

  /** GET /api/media/<id>: status and bytes. */
  async media(mediaId: string): Promise<{ status: number; bytes: Buffer }> {
    const res = await fetch(`${this.base}/api/media/${mediaId}`, { signal: AbortSignal.timeout(60_000) });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
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
