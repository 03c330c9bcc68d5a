// Peer URLs come only from configuration and must match the allowlist: nothing a request or a
// remote peer says can make this process dial a new host (no SSRF).

import { isLoopbackHost } from '@oip/service-kit';

/** Why a peer URL is refused, or null when it is acceptable. */
export function peerUrlProblem(url: string, allowlist: readonly string[]): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:' && u.protocol !== 'http:' && u.protocol !== 'https:') {
    return `"${url}" must use ws:, wss:, http: or https:`;
  }
  if (u.username || u.password) return `"${url}" must not carry credentials`;
  if (!isAllowedHost(u, allowlist)) {
    return `host of "${url}" is not in the peer allowlist (${allowlist.length ? allowlist.join(', ') : 'loopback only'})`;
  }
  return null;
}

function isAllowedHost(u: URL, allowlist: readonly string[]): boolean {
  const host = u.hostname.toLowerCase();
  if (allowlist.length === 0) return isLoopbackHost(host);
  return allowlist.some((entry) => {
    const e = entry.toLowerCase();
    if (e === host || e === u.host.toLowerCase()) return true;
    // `.example.org` allows every subdomain of example.org.
    return e.startsWith('.') && host.endsWith(e);
  });
}
