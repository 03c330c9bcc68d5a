import type { Fault } from '@oip/fake-relay';

/** Weights of the operations the load generator sends to gun-proxy. */
export interface LoadMix {
  put: number;
  getHit: number;
  getMiss: number;
  list: number;
  /** Requests the client abandons after a few ms (the socket is destroyed mid-request). */
  abort: number;
}

export interface Scenario {
  description: string;
  /** Faults the fake relay applies to every matching request for the whole run. */
  relayFaults: Fault[];
  /** Records the relay offers the sync-worker: valid, or ones whose field types conflict. */
  records: 'valid' | 'conflicting';
  load: LoadMix;
}

const ALWAYS = Number.POSITIVE_INFINITY;

export const SCENARIOS = {
  mixed: {
    description: 'healthy relay with new record versions; put/get/miss/list load on gun-proxy',
    relayFaults: [],
    records: 'valid',
    load: { put: 3, getHit: 4, getMiss: 2, list: 1, abort: 0 },
  },
  '404': {
    description: 'relay answers 404 to every /get; gun-proxy load is 100% misses',
    relayFaults: [{ path: '/get', status: 404, body: { error: 'Not found' }, times: ALWAYS }],
    records: 'valid',
    load: { put: 0, getHit: 0, getMiss: 1, list: 0, abort: 0 },
  },
  conflicts: {
    description: 'every synced record after the first conflicts with the store field types (seed 000)',
    relayFaults: [],
    records: 'conflicting',
    load: { put: 5, getHit: 4, getMiss: 0, list: 1, abort: 0 },
  },
  reset: {
    description: 'relay resets every connection; half the gun-proxy requests are abandoned mid-flight',
    relayFaults: [{ reset: true, times: ALWAYS }],
    records: 'valid',
    load: { put: 2, getHit: 2, getMiss: 1, list: 0, abort: 5 },
  },
  slow: {
    description: 'relay answers every request after 1.5 s; mixed load on gun-proxy',
    relayFaults: [{ delayMs: 1_500, times: ALWAYS }],
    records: 'valid',
    load: { put: 3, getHit: 4, getMiss: 2, list: 1, abort: 0 },
  },
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
