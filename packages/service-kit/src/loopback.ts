// "Loopback" means a literal loopback address: a name such as `127.evil.example` resolves
// wherever its owner wants, so it never counts.
import { isIP } from 'node:net';

/** True for `localhost`, a literal 127.0.0.0/8 IPv4 address, or `::1` (also IPv4-mapped). */
export function isLoopbackHost(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) {
    const lower = h.toLowerCase();
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}
