// Which HTTP base serves the relay API of a GUN peer. A legacy `GUN_PEERS` entry names the
// websocket (`ws://host:port/gun`); the relay API behind it is either a node's `/gun-relay`
// proxy or the bare relay on the same host and port, and only asking tells which.
import { GunClient } from './client.js';
import type { GunClientOptions } from './options.js';

/**
 * A peer URL without its credentials: no query or fragment (`?token=…`, the websocket write token
 * gun-proxy's README has legacy relays send) and no user info. HTTP reads of the relay API need
 * none of them, and reports must not show them.
 */
export function peerWithoutCredentials(peer: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#]+)([^?#]*)/i.exec(peer.trim());
  return m ? `${m[1]}://${m[2]}${m[3]}` : peer.trim().replace(/[?#].*$/, '');
}

/** Bases to try for a peer, in order: `ws(s)://h:p/gun` → `/gun-relay` on h:p, then h:p itself. */
export function peerBaseCandidates(peer: string): string[] {
  const bare = peerWithoutCredentials(peer);
  const m = /^(wss?):\/\/([^/?#]+)(\/gun)?\/?$/.exec(bare);
  if (m) {
    const origin = `${m[1] === 'wss' ? 'https' : 'http'}://${m[2]}`;
    return [`${origin}/gun-relay`, origin];
  }
  return [bare.replace(/\/+$/, '')];
}

export interface PeerBaseResult {
  peer: string;
  /** The first candidate that serves the relay API, or null when none does. */
  base: string | null;
  /** Candidates that did not answer as a relay API, with why (`GUN_ERR_*`, or `NOT_RELAY_API` for a 404). */
  tried: Array<{ base: string; code: string }>;
}

/**
 * Probes a peer's candidate bases (one short-lived client each, closed before returning) and
 * returns the first that serves the relay API. `client` options apply to the probe clients.
 */
export async function resolvePeerBase(
  peer: string,
  client: Omit<GunClientOptions, 'baseUrl'> = {},
  signal?: AbortSignal,
): Promise<PeerBaseResult> {
  const tried: PeerBaseResult['tried'] = [];
  for (const base of peerBaseCandidates(peer)) {
    const probe = new GunClient({ ...client, baseUrl: base, retry: { attempts: 1 }, negativeCache: false });
    try {
      if (await probe.servesRelayApi(signal ? { signal } : {})) return { peer, base, tried };
      tried.push({ base, code: 'NOT_RELAY_API' });
    } catch (err) {
      tried.push({ base, code: String((err as { code?: unknown }).code ?? 'ERROR') });
    } finally {
      await probe.close();
    }
  }
  return { peer, base: null, tried };
}
