// Sends generated requests to the api over a fixed set of keep-alive connections: references
// resolved, the identity's Authorization header set, the answer read (its error code kept) and
// never thrown. A request the client itself refuses to send is reported as such (status -1), a
// request the server never answered as status 0, so neither passes for an answer. Each connection
// remembers the last request it carried: a connection the server broke is reported with the
// request before, which is usually the one that broke it.
import { Client } from 'undici';
import {
  describeRequest,
  resolveRefs,
  targetOf,
  type FuzzFixtures,
  type FuzzRequest,
  type Identity,
} from './fuzz-request.js';

/** What one request got. */
export interface FuzzOutcome {
  /** HTTP status; 0 no answer (reset, timeout), -1 not sent (the client refused the request). */
  status: number;
  /** The answer's stable error code (x-error-code header or error.code of the JSON body). */
  code?: string;
  /** For 5xx and no-answer outcomes: the start of the body or the client's error. */
  detail?: string;
  ms: number;
}

export interface FuzzTarget {
  /** The api's origin: http://127.0.0.1:PORT. */
  baseUrl: string;
  fixtures: FuzzFixtures;
  /** Bearer tokens of the identities that have one. */
  tokens: Record<Exclude<Identity, 'anonymous' | 'garbage'>, string>;
}

export interface FuzzSenderOptions {
  /** Sockets to the api. @defaultValue 8 */
  connections?: number;
  /** How long one request may take before it counts as unanswered. @defaultValue 30000 */
  timeoutMs?: number;
}

const codeOf = (body: string): string | undefined => {
  try {
    const v = JSON.parse(body) as { error?: { code?: unknown }; code?: unknown };
    const code = typeof v.error === 'object' && v.error !== null ? v.error.code : v.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
};

interface Connection {
  client: Client;
  busy: boolean;
  last: FuzzRequest | null;
}

export class FuzzSender {
  readonly #target: FuzzTarget;
  readonly #connections: Connection[];
  readonly #waiting: Array<(c: Connection) => void> = [];
  readonly #timeoutMs: number;

  constructor(target: FuzzTarget, opts: FuzzSenderOptions = {}) {
    this.#target = target;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#connections = Array.from({ length: opts.connections ?? 8 }, () => ({
      client: new Client(target.baseUrl, {
        pipelining: 1,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      }),
      busy: false,
      last: null,
    }));
  }

  async #acquire(): Promise<Connection> {
    const free = this.#connections.find((c) => !c.busy);
    const c = free ?? (await new Promise<Connection>((resolve) => this.#waiting.push(resolve)));
    c.busy = true;
    return c;
  }

  #release(c: Connection): void {
    c.busy = false;
    const next = this.#waiting.shift();
    if (next) next(c);
  }

  /** The request as sent: target, headers, body (references resolved). */
  prepare(r: FuzzRequest): { path: string; headers: Record<string, string>; body?: string } {
    const headers: Record<string, string> = { ...r.headers };
    if (r.identity === 'garbage' && r.garbageAuth !== undefined) headers['authorization'] = r.garbageAuth;
    else if (r.identity !== 'anonymous' && r.identity !== 'garbage')
      headers['authorization'] = `Bearer ${this.#target.tokens[r.identity]}`;
    return {
      path: targetOf(r, this.#target.fixtures),
      headers,
      ...(r.body !== undefined ? { body: resolveRefs(r.body, this.#target.fixtures) } : {}),
    };
  }

  async send(r: FuzzRequest): Promise<FuzzOutcome> {
    const c = await this.#acquire();
    const previous = c.last;
    c.last = r;
    try {
      const o = await this.#sendOn(c.client, r);
      if (o.status === 0 && previous)
        o.detail = `${o.detail ?? ''} (previous request on this connection: ${describeRequest(previous, this.#target.fixtures)})`;
      return o;
    } finally {
      this.#release(c);
    }
  }

  async #sendOn(client: Client, r: FuzzRequest): Promise<FuzzOutcome> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const { path, headers, body } = this.prepare(r);
    let res;
    try {
      res = await client.request({
        method: r.method,
        path,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      return {
        status: e.code === 'UND_ERR_INVALID_ARG' ? -1 : 0,
        detail: `${e.code ?? 'error'}: ${e.message ?? String(err)}`,
        ms: ms(),
      };
    }
    try {
      const header = res.headers['x-error-code'];
      const json = String(res.headers['content-type'] ?? '').includes('json');
      if (res.statusCode >= 500 || (res.statusCode >= 400 && json && header === undefined)) {
        const text = await res.body.text();
        const code = typeof header === 'string' ? header : codeOf(text);
        return {
          status: res.statusCode,
          ...(code ? { code } : {}),
          ...(res.statusCode >= 500 ? { detail: text.slice(0, 500) } : {}),
          ms: ms(),
        };
      }
      await res.body.dump({ limit: Number.MAX_SAFE_INTEGER });
      return { status: res.statusCode, ...(typeof header === 'string' ? { code: header } : {}), ms: ms() };
    } catch (err) {
      // The answer began but broke off.
      return { status: 0, detail: `answer ${res.statusCode} broke off: ${(err as Error).message}`, ms: ms() };
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#connections.map((c) => c.client.close()));
  }
}
