// GUN_PEERS entries (`ws://host:port/gun`) name a websocket, not the relay API: it is either the
// node's `/gun-relay` proxy or the bare relay on that host and port. Each such peer is resolved
// once, at the first pass that needs it; the relay's client is swapped for one on the base that
// answered. A peer with neither is an error of the pass (and of /health) and is asked again on
// the next pass, so a peer that comes up later is picked up.
import { resolvePeerBase, type GunClient } from '@oip/gun-client';

export interface PeerStatus {
  /** The relay key jobs and reports use (the configured `/gun-relay` form of the peer). */
  relay: string;
  /** The GUN_PEERS entry. */
  peer: string;
  /** The base that serves the relay API; null while unresolved. */
  base: string | null;
  /** Why each candidate was refused, when unresolved. */
  tried: Array<{ base: string; code: string }>;
  checkedAt: number;
}

export interface PeerRelaysOptions {
  /** The worker's relay clients by relay key; a resolved peer's client is replaced in it. */
  relays: Map<string, GunClient>;
  /** Relay key → the GUN_PEERS websocket it came from. */
  peers: Readonly<Record<string, string>>;
  createClient(base: string): GunClient;
  /** Probe connect timeout. @defaultValue 3000 */
  probeTimeoutMs?: number;
  now?: () => number;
}

export const PEER_UNRESOLVED = 'SYNC_ERR_PEER_UNRESOLVED';

export class PeerRelays {
  readonly #opts: PeerRelaysOptions;
  readonly #status = new Map<string, PeerStatus>();

  constructor(opts: PeerRelaysOptions) {
    this.#opts = opts;
  }

  /** True when `relay` is usable now (not a peer, or a peer resolved now or earlier). */
  async ensure(relay: string): Promise<boolean> {
    const peer = this.#opts.peers[relay];
    if (peer === undefined) return true;
    const known = this.#status.get(relay);
    if (known?.base) return true;
    const t = this.#opts.probeTimeoutMs ?? 3000;
    const r = await resolvePeerBase(peer, { connectTimeoutMs: t, headersTimeoutMs: t, requestTimeoutMs: t });
    this.#status.set(relay, { relay, peer, base: r.base, tried: r.tried, checkedAt: (this.#opts.now ?? Date.now)() });
    if (!r.base) return false;
    const old = this.#opts.relays.get(relay);
    if (r.base !== relay) {
      this.#opts.relays.set(relay, this.#opts.createClient(r.base));
      await old?.close();
    }
    return true;
  }

  /** Every configured peer's resolution, for /health (peers not yet tried have `base: null`, `checkedAt: 0`). */
  status(): PeerStatus[] {
    return Object.entries(this.#opts.peers).map(
      ([relay, peer]) => this.#status.get(relay) ?? { relay, peer, base: null, tried: [], checkedAt: 0 },
    );
  }

  /** Peers tried and answered by neither base. */
  unresolved(): PeerStatus[] {
    return [...this.#status.values()].filter((s) => s.base === null);
  }
}
