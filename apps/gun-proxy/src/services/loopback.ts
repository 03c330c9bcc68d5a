// What counts as "this machine only" for the no-auth-on-loopback rule and loopback-only peering.

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['::1', '[::1]', 'localhost']);
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** A literal 127.0.0.0/8 address: four decimal octets, the first 127. */
const LOOPBACK_V4 = new RegExp(`^127\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/**
 * True for a literal loopback address (127.0.0.0/8, ::1) or exactly `localhost`. A name such as
 * `127.evil.example` resolves wherever its owner likes, so it is not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || LOOPBACK_V4.test(host);
}
