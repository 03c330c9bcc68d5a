// Which reverse proxies a service believes about the client address (Fastify's `trustProxy`):
// `false` (the socket's peer is the client), `true` (every X-Forwarded-For hop), or the proxies'
// addresses (IPs, CIDRs, or proxy-addr's names loopback, linklocal, uniquelocal). Only a trusted
// proxy's X-Forwarded-For sets `req.ip`, so rate limits keyed on the client address count each
// client behind the proxy, not the proxy itself. No hop count: Fastify 5 trusts no hop for a
// number (a count cannot tell the proxy from a client that sends the header itself).
import { isIP } from 'node:net';
import { Type, type Static } from '@sinclair/typebox';
import { ConfigError } from './config-error.js';
import { splitList } from './env.js';

export const TrustProxySchema = Type.Union(
  [Type.Boolean(), Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 64 })],
  { default: false },
);

export type TrustProxy = Static<typeof TrustProxySchema>;

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const TRUE = new Set(['true', 'yes', 'on']);
const FALSE = new Set(['false', 'no', 'off']);

/** Whether `entry` is an IP, an IP/prefix CIDR, or one of proxy-addr's names. */
function validEntry(entry: string): boolean {
  if (NAMES.has(entry)) return true;
  const slash = entry.indexOf('/');
  const ip = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(ip);
  if (family === 0) return false;
  if (slash === -1) return true;
  const bits = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** Throws ConfigError naming `variable` unless every address entry of `value` is valid. */
export function checkTrustProxy(value: TrustProxy, variable: string): void {
  if (!Array.isArray(value)) return;
  const bad = value.find((e) => !validEntry(e));
  if (bad !== undefined)
    throw new ConfigError(
      `${variable} must be true, false or a comma list of IPs/CIDRs (or loopback, linklocal, uniquelocal), got "${bad}"`,
      { variable },
    );
}

/** Parses the variable's text: true/false, or a comma list of addresses. */
export function parseTrustProxy(variable: string, text: string): TrustProxy {
  const v = text.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  const list = splitList(text);
  if (list.length === 0)
    throw new ConfigError(`${variable} must be true, false or a comma list of IPs/CIDRs`, { variable });
  checkTrustProxy(list, variable);
  return list;
}
