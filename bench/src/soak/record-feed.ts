import type { FakeRelay } from '@oip/fake-relay';

/** Publisher of the records the relay offers (12 hex, like a real publisher hash). */
export const FEED_PUBLISHER = '50a1c0ffee01';
/** The foreign node that "registered" them (ours is different, so they are not skipped). */
export const FEED_NODE_ID = 'feedfeedfeedfeed';
/** Our sync-worker's node id. */
export const WORKER_NODE_ID = '0123456789abcdef';

const RECORD_TYPE = 'post';
const INDEX_SOUL = `oip:registry:index:${RECORD_TYPE}`;

function record(i: number, ts: number, extra: Record<string, unknown> | undefined) {
  return {
    data: {
      basic: {
        name: `soak post ${i}`,
        description: 'soak test record',
        date: Math.floor(ts / 1000),
        language: 'en',
        tagItems: ['soak'],
      },
      post: { articleText: 'lorem ipsum '.repeat(40), bylineWriter: 'soak' },
      ...(extra ? { soak: extra } : {}),
    },
    oip: {
      ver: '0.8.0',
      recordType: RECORD_TYPE,
      creator: { publicKey: 'pk-soak', didAddress: 'did:arweave:soak-creator' },
    },
    meta: { created: ts, localId: `soak-${i}`, encrypted: false },
  };
}

/**
 * Keeps the sync-worker busy for the whole run: every tick it republishes `perTick` records of a
 * fixed pool with a new registry timestamp (a new version), so the relay's size stays bounded.
 * In `conflicting` mode an anchor record fixes `soak.value` as a number first; every later
 * record carries it as an object, which the store must reject as a mapping conflict.
 */
export class RecordFeed {
  #next = 0;
  #timer: NodeJS.Timeout | null = null;
  published = 0;

  constructor(
    private readonly relay: FakeRelay,
    private readonly mode: 'valid' | 'conflicting',
    private readonly pool = 500,
    private readonly perTick = 10,
  ) {}

  /** Publishes the anchor (conflicting mode) or a first batch, before the worker starts. */
  seed(): void {
    if (this.mode === 'conflicting') this.#publish(-1, { value: 1 });
    else this.tick();
  }

  start(tickMs: number): void {
    this.#timer ??= setInterval(() => this.tick(), tickMs);
  }

  tick(): void {
    for (let k = 0; k < this.perTick; k++) {
      const i = this.#next++ % this.pool;
      this.#publish(i, this.mode === 'conflicting' ? { value: { nested: `v${i}` } } : undefined);
    }
  }

  #publish(i: number, extra: Record<string, unknown> | undefined): void {
    const ts = Date.now() + this.published; // strictly increasing: every publish is a new version
    const soul = `${FEED_PUBLISHER}:soak-${i < 0 ? 'anchor' : i}`;
    this.relay.store.put(soul, record(i, ts, extra));
    this.relay.store.put(INDEX_SOUL, { [soul]: { soul, nodeId: FEED_NODE_ID, timestamp: ts } });
    this.published++;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
