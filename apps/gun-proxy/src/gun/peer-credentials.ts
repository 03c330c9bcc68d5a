// Who may peer with us over the websocket when write auth is on. The credential travels on the
// upgrade request: `Authorization: Bearer <token>` for clients that can set headers, or
// `?token=<token>` in the URL for legacy GUN relays, whose peer URL is all they can configure
// (GUN dials `new WebSocket(peerUrl)` with the query string intact).
import type http from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';

/** Query parameter carrying a peer token on the upgrade URL. */
export const PEER_TOKEN_PARAM = 'token';

export interface InboundAuthOptions {
  /** Tokens an inbound peer may present (at least one for anyone to authenticate). */
  credentials: readonly string[];
  /**
   * Accept sockets without a valid credential as read-only (their gets are answered, their puts
   * dropped). Off: such upgrades are refused with 401.
   * @defaultValue false
   */
  anonymousReads?: boolean;
}

export type InboundVerdict = 'peer' | 'read-only' | 'refused';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The credential of an upgrade request (header first, then the query), or undefined. */
export function upgradeCredential(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (m?.[1]) return m[1];
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const token = new URLSearchParams(url.slice(q + 1)).get(PEER_TOKEN_PARAM);
  return token ? token : undefined;
}

export class InboundAuth {
  readonly #digests: Buffer[];
  readonly #anonymousReads: boolean;

  constructor(opts: InboundAuthOptions) {
    // Compared as SHA-256 digests: constant time, and the token's length does not leak.
    this.#digests = opts.credentials.filter((c) => c.length > 0).map(digest);
    this.#anonymousReads = opts.anonymousReads ?? false;
  }

  /** What an upgrade request may do: peer (read and write), read only, or nothing. */
  verdict(req: http.IncomingMessage): InboundVerdict {
    const given = upgradeCredential(req);
    if (given !== undefined) {
      const d = digest(given);
      // Every credential is compared, so the time taken does not say which one matched.
      let ok = false;
      for (const c of this.#digests) ok = timingSafeEqual(c, d) || ok;
      if (ok) return 'peer';
    }
    return this.#anonymousReads ? 'read-only' : 'refused';
  }
}
