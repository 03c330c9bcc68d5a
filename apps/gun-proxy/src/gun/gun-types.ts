// The small part of GUN's (untyped, CommonJS) internals this app relies on, typed by hand.
// Read from gun 0.2020.1241 (gun.js: onto, universe/put/ham, ask, mesh; lib/wire.js; lib/store.js).

/** An `onto` listener handle: `off()` unlinks it; `err` is the ack-timeout timer `ask` may set on it. */
export interface OntoListener {
  off(): void;
  err?: ReturnType<typeof setTimeout>;
}

/** The `this` of an `onto` listener: `to.next` passes the event to the next listener. */
export interface OntoContext {
  to: { next(arg: unknown): void };
  off(): void;
}

export type GunMessage = Record<string, unknown> & { '#'?: unknown; '@'?: unknown; _?: unknown };

export interface GunPeerEntry {
  id?: string;
  url?: string;
  wire?: WireLike | null;
  met?: number;
  defer?: ReturnType<typeof setTimeout>;
  [k: string]: unknown;
}

export interface WireLike {
  send(data: string): void;
  close(): void;
  terminate?(): void;
  onclose?: unknown;
  onerror?: unknown;
  onmessage?: unknown;
  onopen?: unknown;
}

export interface GunMesh {
  hi(peer: GunPeerEntry): void;
  bye(peer: GunPeerEntry): void;
  /** `hear.one` handles one parsed message (batches are split into it): where the wire guard sits. */
  hear: ((raw: string, peer: GunPeerEntry) => void) &
    Record<string, unknown> & { one: (msg: unknown, peer: GunPeerEntry, S?: number) => void };
  say(msg: GunMessage, peer?: GunPeerEntry): unknown;
  wire: (peer: GunPeerEntry) => unknown;
  near: number;
}

export interface GunRootOpt {
  peers: Record<string, GunPeerEntry>;
  mesh?: GunMesh;
  [k: string]: unknown;
}

/** `gun._`: the root context. */
export interface GunRoot {
  opt: GunRootOpt;
  graph: Record<string, unknown>;
  next?: Record<string, { $: { off(): void } }>;
  dup: { s: Record<string, unknown>; to?: ReturnType<typeof setTimeout> | null };
  tag?: Record<string, unknown>;
  on(tag: string, fn: (this: OntoContext, msg: GunMessage) => void): OntoListener;
  on(tag: string, msg: GunMessage): unknown;
}

export interface GunInstance {
  _: GunRoot;
}

export interface GunStatic {
  (opt: Record<string, unknown>): GunInstance;
  on(tag: 'create' | 'opt', fn: (this: OntoContext, root: GunRoot) => void): void;
  state(): number;
}
