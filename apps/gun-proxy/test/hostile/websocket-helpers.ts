// Raw websocket peers for the hostile tests: what an attacker (or a legacy relay) sends on /gun,
// byte for byte, without a GUN library between the test and the wire.
import { afterEach, expect } from 'vitest';
import WebSocket from 'ws';

export interface RawPeer {
  ws: WebSocket;
  /** Every parsed message received (batches flattened). */
  received: Array<Record<string, unknown>>;
  send(raw: string): void;
  /** Resolves with the first received message matching `pred`; throws after `ms`. */
  waitFor(pred: (m: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
}

const open: WebSocket[] = [];

/** Registers an afterEach that closes every socket a test opened. */
export function useRawPeers(): void {
  afterEach(async () => {
    await Promise.all(
      open.splice(0).map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.terminate();
          }),
      ),
    );
  });
}

/** Opens a socket; resolves when open, rejects with the HTTP status when the upgrade is refused. */
export function connectRaw(url: string, headers: Record<string, string> = {}): Promise<RawPeer> {
  const ws = new WebSocket(url, { headers });
  open.push(ws);
  const received: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    const parsed: unknown = JSON.parse(data.toString());
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) received.push(m as Record<string, unknown>);
    for (const w of [...waiters]) w();
  });
  const peer: RawPeer = {
    ws,
    received,
    send: (raw) => ws.send(raw),
    waitFor: (pred, ms = 3000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const hit = received.find(pred);
          if (!hit) return;
          done();
          resolve(hit);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching websocket message within ${ms} ms`));
        }, ms);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(peer));
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** The status an upgrade was refused with (throws when it was accepted). */
export async function refusedStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    await connectRaw(url, headers);
  } catch (err) {
    return (err as { status?: number }).status ?? -1;
  }
  throw new Error('upgrade was accepted');
}

let seq = 0;
/** A GUN put message of one node, as raw JSON text (so `__proto__` stays an own key). */
export function putRaw(
  soul: string,
  values: Record<string, unknown>,
  opts: { id?: string; state?: number } = {},
): string {
  const state = opts.state ?? Date.now();
  const entries = Object.entries(values);
  const keys = entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',');
  const states = entries.map(([k]) => `${JSON.stringify(k)}:${state}`).join(',');
  const id = opts.id ?? `raw${++seq}x${Date.now().toString(36)}`;
  return `{"#":${JSON.stringify(id)},"put":{${JSON.stringify(soul)}:{"_":{"#":${JSON.stringify(soul)},">":{${states}}}${keys ? `,${keys}` : ''}}}}`;
}

/** Object.prototype's own members now; `expectPrototypeUntouched` compares against them. */
const PRISTINE = new Map(
  Object.getOwnPropertyNames(Object.prototype).map((k) => [k, Object.getOwnPropertyDescriptor(Object.prototype, k)]),
);

/** Asserts Object.prototype gained and changed nothing, then repairs it (for later tests). */
export function expectPrototypeUntouched(): void {
  const extra = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PRISTINE.has(k));
  const changed = [...PRISTINE].filter(([k, d]) => {
    const now = Object.getOwnPropertyDescriptor(Object.prototype, k);
    return now?.value !== d?.value || now?.get !== d?.get || now?.set !== d?.set;
  });
  for (const k of extra) delete (Object.prototype as Record<string, unknown>)[k];
  for (const [k, d] of changed) if (d) Object.defineProperty(Object.prototype, k, d);
  expect(extra).toEqual([]);
  expect(changed.map(([k]) => k)).toEqual([]);
  expect(({} as Record<string, unknown>)._).toBeUndefined();
}

interface BareGun {
  get(soul: string): { put(data: Record<string, unknown>): unknown };
  _: { opt: { peers: Record<string, { wire?: { onclose: unknown; close(): void } | null; defer?: NodeJS.Timeout }> } };
}

const bareGuns: BareGun[] = [];

/** Stops every bare GUN client a test made: sockets closed, reconnect timers cleared. */
export function closeBareGuns(): void {
  for (const gun of bareGuns.splice(0)) {
    const peers = gun._.opt.peers;
    for (const url of Object.keys(peers)) {
      const peer = peers[url]!;
      delete peers[url]; // GUN's reconnect loop gives up on peers no longer listed
      clearTimeout(peer.defer);
      if (peer.wire) {
        peer.wire.onclose = null;
        peer.wire.close();
      }
    }
  }
}

/** A bare GUN client (the chain API of the `gun` package, as legacy apps use it) dialling `peer`. */
export function bareGun(Gun: (opt: Record<string, unknown>) => unknown, WebSocketImpl: unknown, peer: string): BareGun {
  const gun = Gun({
    peers: [peer],
    localStorage: false,
    radisk: false,
    multicast: false,
    axe: false,
    file: false,
    WebSocket: WebSocketImpl,
  }) as BareGun;
  bareGuns.push(gun);
  return gun;
}
