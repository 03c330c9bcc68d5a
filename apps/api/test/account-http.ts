// The account routes' tests talk to the api over its real HTTP port on loopback, as a client (or an
// attacker) would: listen(app) → base URL, call() → status, body and headers.
import type { FastifyInstance } from 'fastify';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Starts the app on 127.0.0.1 and an ephemeral port (closed with the app); its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 });
}

export interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request to `base + path`; the JSON body (or `{}` when there is none). */
export async function call(base: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    headers: res.headers,
  };
}

export interface Registered {
  token: string;
  publicKey: string;
  mnemonic: string;
  userId: string;
}

/** Registers over HTTP (legacy /api/user/register); throws unless it answers 201. */
export async function register(base: string, email: string, password: string): Promise<Registered> {
  const res = await call(base, '/api/user/register', { body: { email, password } });
  if (res.status !== 201) throw new Error(`register ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  const token = String(res.body['token']);
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { userId: string };
  return {
    token,
    publicKey: String(res.body['publicKey']),
    mnemonic: String(res.body['mnemonic']),
    userId: claims.userId,
  };
}

/** Logs in over HTTP; the answer as it came. */
export function login(base: string, email: string, password: string): Promise<Answer> {
  return call(base, '/api/user/login', { body: { email, password } });
}
