// The node/peer id a service uses when none is configured: stable for one host and port, so
// restarts keep the same id (16 hex, the legacy format).
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

/** 16 lowercase hex of sha256(`oip-node:<host>:<port>`). */
export function defaultNodeId(port: number, host = hostname()): string {
  return createHash('sha256').update(`oip-node:${host}:${port}`).digest('hex').slice(0, 16);
}
