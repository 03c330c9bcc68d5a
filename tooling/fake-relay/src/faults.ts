/** A scripted misbehaviour of the fake relay, matched against each request in order. */
export interface Fault {
  /** Only requests whose path (without query) starts with this. @defaultValue every path */
  path?: string;
  /** Only requests for this soul (query `soul` or body `soul`), or souls matching the RegExp. */
  soul?: string | RegExp;
  /** How many matching requests this fault applies to. @defaultValue 1 (use Infinity for always) */
  times?: number;
  /** Answer with this status (body: `body`, else a legacy `{ error }` body). */
  status?: number;
  body?: string | Record<string, unknown>;
  /** `Retry-After` header value to send with the status. */
  retryAfter?: string;
  /** Wait this long before answering (or before the other effects). */
  delayMs?: number;
  /** Destroy the socket instead of answering (connection reset). */
  reset?: boolean;
  /** Never answer; the request stays open until the client gives up or the relay closes. */
  hang?: boolean;
  /** Answer 200 with a body that is not JSON. */
  garbage?: boolean;
  /** Answer 200 with a JSON-looking body of this many bytes (a string field padded out). */
  bytes?: number;
}

export interface ActiveFault extends Fault {
  remaining: number;
}

export function matches(fault: ActiveFault, path: string, soul: string | undefined): boolean {
  if (fault.remaining <= 0) return false;
  if (fault.path && !path.startsWith(fault.path)) return false;
  if (fault.soul !== undefined) {
    if (soul === undefined) return false;
    if (typeof fault.soul === 'string' ? fault.soul !== soul : !fault.soul.test(soul)) return false;
  }
  return true;
}
