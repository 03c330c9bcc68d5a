// es-sockets on a real Elasticsearch (issue 26, seed 003): the same bursts of concurrent store
// reads (getMany of one record each, records that exist) through a client configured like legacy's
// default and through our adapter's bounded client, against one real node. Sockets are counted
// on the client side: every connection undici opens is published on `undici:client:connected`
// (both clients are undici pools), and is followed until it closes. The runs go in ABBA order
// (legacy, ours, ours, legacy) so a drift in the box's load does not favour either.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { createElasticsearchRecordStore, createEsClient, type RecordStore } from '@oip/record-store';
import { loadLine } from '../benchmark.js';
import { fitnessRecord } from '../records/fitness-records.js';
import { benchElasticsearch } from './es-node.js';
import { loadIntoElasticsearch } from './es-load.js';

const INDEX = 'oip-bench-es-sockets';
const RECORDS = 10_000;

export interface SocketFigure {
  maxOpen: number;
  opened: number;
  openAfterIdle: number;
  requests: number;
  seconds: number;
}

export interface RealSocketsResult {
  legacy: SocketFigure;
  ours: SocketFigure;
  openAfterClose: number;
  url: string;
  own: boolean;
}

/** Sockets undici opens while it is attached. */
class SocketCounter {
  readonly open = new Set<Socket>();
  maxOpen = 0;
  opened = 0;
  readonly #onConnected = (message: unknown) => {
    const socket = (message as { socket?: Socket }).socket;
    if (socket === undefined) return;
    this.opened += 1;
    this.open.add(socket);
    this.maxOpen = Math.max(this.maxOpen, this.open.size);
    socket.once('close', () => this.open.delete(socket));
  };
  attach(): void {
    subscribe('undici:client:connected', this.#onConnected);
  }
  detach(): void {
    unsubscribe('undici:client:connected', this.#onConnected);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `rounds` bursts of `concurrency` getMany calls (records that exist), then 1 s idle. */
async function drive(store: RecordStore, concurrency: number, rounds: number): Promise<SocketFigure> {
  const counter = new SocketCounter();
  counter.attach();
  try {
    const started = performance.now();
    let requests = 0;
    for (let r = 0; r < rounds; r++) {
      const answers = await Promise.all(
        Array.from({ length: concurrency }, (_, i) =>
          store.getMany([fitnessRecord((r * concurrency + i) % RECORDS).oip.did]),
        ),
      );
      if (answers.some((a) => a.size !== 1)) throw new Error('a getMany of an indexed record found nothing');
      requests += concurrency;
    }
    const seconds = (performance.now() - started) / 1000;
    await sleep(1000);
    return { maxOpen: counter.maxOpen, opened: counter.opened, openAfterIdle: counter.open.size, requests, seconds };
  } finally {
    counter.detach();
  }
}

function sum(a: SocketFigure, b: SocketFigure): SocketFigure {
  return {
    maxOpen: Math.max(a.maxOpen, b.maxOpen),
    opened: a.opened + b.opened,
    openAfterIdle: Math.max(a.openAfterIdle, b.openAfterIdle),
    requests: a.requests + b.requests,
    seconds: a.seconds + b.seconds,
  };
}

export async function runOnRealNode(o: {
  concurrency: number;
  rounds: number;
  maxSockets: number;
  heap: string;
}): Promise<RealSocketsResult> {
  console.log(`start: ${loadLine()}`);
  const es = await benchElasticsearch(o.heap);
  try {
    await loadIntoElasticsearch(es.url, INDEX, RECORDS, fitnessRecord, 10 * 60_000);
    const legacyRun = async () => {
      // Legacy: the client's defaults (undici pool of 256 connections, 10-minute keep-alive).
      const client = createEsClient({ node: es.url, maxSockets: 256, keepAliveTimeoutMs: 600_000, maxRetries: 3 });
      const store = createElasticsearchRecordStore({ client, index: INDEX, createIndex: false, guard: false });
      try {
        return await drive(store, o.concurrency, o.rounds);
      } finally {
        await store.close();
        await client.close();
      }
    };
    let openAfterClose = 0;
    const oursRun = async () => {
      const counter = new SocketCounter();
      counter.attach();
      const store = createElasticsearchRecordStore({
        node: es.url,
        index: INDEX,
        maxSockets: o.maxSockets,
        createIndex: false,
        guard: false,
      });
      try {
        return await drive(store, o.concurrency, o.rounds);
      } finally {
        await store.close();
        await sleep(100);
        openAfterClose = Math.max(openAfterClose, counter.open.size);
        counter.detach();
      }
    };
    // Warm-up: the node's JIT and caches, so the first measured run is not charged for them.
    const warm = createElasticsearchRecordStore({ node: es.url, index: INDEX, createIndex: false, guard: false });
    try {
      await drive(warm, o.concurrency, 2);
    } finally {
      await warm.close();
    }
    console.log(`measuring: ${loadLine()}`);
    const l1 = await legacyRun();
    const o1 = await oursRun();
    const o2 = await oursRun();
    const l2 = await legacyRun();
    console.log(`end: ${loadLine()}`);
    return { legacy: sum(l1, l2), ours: sum(o1, o2), openAfterClose, url: es.url, own: es.own };
  } finally {
    await es.stop();
  }
}
