import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { InboundAuth, upgradeCredential } from '../../src/gun/peer-credentials.js';
import { inboundAuthOf } from '../../src/plugins/gun.js';

const req = (url: string, authorization?: string): http.IncomingMessage =>
  ({ url, headers: authorization ? { authorization } : {} }) as http.IncomingMessage;

const A = 'peer-token-a-0123456789abcdef';
const B = 'peer-token-b-0123456789abcdef';

describe('peer credentials', () => {
  it('reads a Bearer header first, then ?token=', () => {
    expect(upgradeCredential(req('/gun', `Bearer ${A}`))).toBe(A);
    expect(upgradeCredential(req(`/gun?x=1&token=${encodeURIComponent('a b+c')}`))).toBe('a b+c');
    expect(upgradeCredential(req(`/gun?token=${B}`, `Bearer ${A}`))).toBe(A);
    expect(upgradeCredential(req('/gun?token='))).toBeUndefined();
    expect(upgradeCredential(req('/gun', 'Basic abc'))).toBeUndefined();
  });

  it('any configured credential makes a peer; otherwise read-only or refused', () => {
    const auth = new InboundAuth({ credentials: [A, B] });
    expect(auth.verdict(req(`/gun?token=${B}`))).toBe('peer');
    expect(auth.verdict(req('/gun', `Bearer ${A}`))).toBe('peer');
    expect(auth.verdict(req('/gun', `Bearer ${A}x`))).toBe('refused');
    expect(auth.verdict(req('/gun'))).toBe('refused');
    expect(new InboundAuth({ credentials: [A], anonymousReads: true }).verdict(req('/gun'))).toBe('read-only');
    expect(new InboundAuth({ credentials: [] }).verdict(req('/gun?token='))).toBe('refused');
  });

  it('follows HTTP write auth: off with it, the write token counts in token mode, never in hmac mode', () => {
    const base = { HOST: '127.0.0.1', GUNPROXY_PEER_TOKENS: `${A}, ${B}` };
    expect(inboundAuthOf(loadConfig(base))).toBeUndefined();
    const token = loadConfig({
      ...base,
      GUNPROXY_AUTH_TOKEN: 'the-http-write-token-0123456789',
      GUNPROXY_WS_ANONYMOUS_READS: 'true',
    });
    expect(inboundAuthOf(token)).toEqual({
      credentials: [A, B, 'the-http-write-token-0123456789'],
      anonymousReads: true,
    });
    const hmac = loadConfig({
      ...base,
      GUNPROXY_AUTH_MODE: 'hmac',
      GUNPROXY_AUTH_TOKEN: 'the-http-write-token-0123456789',
    });
    expect(inboundAuthOf(hmac)).toEqual({ credentials: [A, B], anonymousReads: false });
  });

  it('refuses short peer tokens and non-boolean GUNPROXY_WS_ANONYMOUS_READS, naming the variable', () => {
    expect(() => loadConfig({ GUNPROXY_PEER_TOKENS: 'short' })).toThrow(/GUNPROXY_PEER_TOKENS/);
    expect(() => loadConfig({ GUNPROXY_WS_ANONYMOUS_READS: 'yes' })).toThrow(/GUNPROXY_WS_ANONYMOUS_READS/);
  });
});
