import { request } from 'undici';
import { afterEach } from 'vitest';
import { storedRecord } from '@oip/test-kit';
import { startGunProxy, type StartedGunProxy } from '../src/testing.js';
import type { Config } from '../src/config.js';

const started: StartedGunProxy[] = [];

/** Registers an afterEach that closes every proxy a test started. */
export function useProxies(): (overrides?: Partial<Config>) => Promise<StartedGunProxy> {
  afterEach(async () => {
    for (const p of started.splice(0).reverse()) await p.close();
  });
  return async (overrides = {}) => {
    const p = await startGunProxy(overrides);
    started.push(p);
    return p;
  };
}

export interface Res {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  ms: number;
}

export async function http(
  base: string,
  method: 'GET' | 'POST' | 'OPTIONS',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Res> {
  const t0 = performance.now();
  const res = await request(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep text
  }
  return { status: res.statusCode, body: parsed, headers: res.headers, ms: performance.now() - t0 };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A record the way gun-client puts it: @oip/test-kit's stored-shape data and oip, meta beside them. */
export function sampleRecord(
  soul: string,
  recordType = 'post',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const { data, oip } = storedRecord({
    soul,
    recordType,
    description: 'x'.repeat(64),
    date: 1730505600,
    tags: ['a', 'b'],
    fields: { refs: [`did:gun:${soul}-ref`], count: 3 },
    didAddress: 'did:arweave:abc',
    publicKey: 'pk',
  });
  return {
    data,
    oip,
    meta: { created: 1730505600000, localId: soul.split(':')[1] ?? soul, encrypted: false },
    ...extra,
  };
}
