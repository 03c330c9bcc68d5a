// Counts what the wire guard dropped, and logs it at a bounded rate: a hostile peer can send
// thousands of bad messages a second, and one log line each would be a second attack.
import type { DropReason } from './wire-guard.js';

/** The pino-compatible part of a logger this uses. */
export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

export type DropCounts = Record<DropReason, number>;

const zero = (): DropCounts => ({ malformed: 0, 'reserved-name': 0, 'unauthenticated-write': 0 });

export class WireDrops {
  /** Messages (or parts of messages) dropped since start, by reason. */
  readonly counts: DropCounts = zero();
  #sinceLog: DropCounts = zero();
  #lastLog = -Infinity;
  readonly #log: WarnLogger | undefined;
  readonly #everyMs: number;

  /** @param everyMs - at most one log line per this many ms. @defaultValue 10000 */
  constructor(log?: WarnLogger, everyMs = 10_000) {
    this.#log = log;
    this.#everyMs = everyMs;
  }

  get total(): number {
    return this.counts.malformed + this.counts['reserved-name'] + this.counts['unauthenticated-write'];
  }

  record(reason: DropReason): void {
    this.counts[reason]++;
    this.#sinceLog[reason]++;
    const now = Date.now();
    if (!this.#log || now - this.#lastLog < this.#everyMs) return;
    this.#log.warn(
      { dropped: this.#sinceLog, code: 'GUNPROXY_WS_MESSAGE_DROPPED' },
      'dropped GUN websocket messages (counts since the last line)',
    );
    this.#sinceLog = zero();
    this.#lastLog = now;
  }
}
