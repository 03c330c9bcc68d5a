// Checks every GUN wire message before GUN sees it. GUN indexes its graph, dedup table, event tags
// and peer maps with plain objects keyed by souls, keys and message ids taken from the wire, so a
// put with soul `__proto__` pollutes Object.prototype (seen: `Object.prototype._`). Here anything
// named like a property of Object.prototype is refused, the rest of the message is rebuilt from
// own keys only, and writes from peers that may not write are dropped.
import type { GunMessage } from './gun-types.js';

/** Names GUN must never see as a soul, key, id or field: they resolve to Object.prototype members. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

export const isReservedName = (name: string): boolean => RESERVED_NAMES.has(name);

/** Longest message id / pid accepted (GUN's own are 9 characters). */
const MAX_ID_LENGTH = 128;

/** Why parts of a message were dropped (the metric label). */
export type DropReason = 'malformed' | 'reserved-name' | 'unauthenticated-write';

export interface GuardResult {
  /** The message to hand to GUN, or null when nothing of it is left. */
  msg: GunMessage | null;
  /** Set when the message or some of its parts were dropped. */
  reason: DropReason | null;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const okName = (v: unknown): v is string => typeof v === 'string' && !isReservedName(v);
const okId = (v: unknown): boolean => okName(v) && v.length <= MAX_ID_LENGTH;

/** A lexical `get['.']` (`{ '*': prefix, ... }`): string values under non-reserved keys only. */
function okLex(v: unknown): boolean {
  if (okName(v)) return true;
  if (!isObj(v)) return false;
  return Object.keys(v).every((k) => okName(k) && okName(v[k]));
}

function okGet(get: unknown): boolean {
  if (!isObj(get)) return false;
  if (Object.keys(get).some(isReservedName)) return false;
  if (!okName(get['#'])) return false;
  return get['.'] === undefined || okLex(get['.']);
}

/** A GUN value: a primitive or a link `{ '#': soul }` and nothing else. */
function okValue(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (!isObj(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === '#' && okName(v['#']);
}

interface Sanitised<T> {
  value: T;
  dropped: DropReason | null;
}

/** Rebuilds one node from its own keys, leaving out reserved or malformed keys. */
function sanitiseNode(soul: string, node: unknown): Sanitised<Obj | null> {
  if (!isObj(node) || !isObj(node._)) return { value: null, dropped: 'malformed' };
  if (node._['#'] !== soul) return { value: null, dropped: okName(node._['#']) ? 'malformed' : 'reserved-name' };
  const states = node._['>'];
  if (!isObj(states)) return { value: null, dropped: 'malformed' };
  const outStates: Record<string, number> = {};
  const out: Obj = { _: { '#': soul, '>': outStates } };
  let dropped: DropReason | null = null;
  let kept = 0;
  for (const key of Object.keys(node)) {
    if (key === '_') continue;
    if (isReservedName(key)) {
      dropped = 'reserved-name';
      continue;
    }
    const state = Object.hasOwn(states, key) ? states[key] : undefined;
    const value = node[key];
    if (typeof state !== 'number' || !Number.isFinite(state) || !okValue(value)) {
      // A link to a reserved soul is as dangerous as the soul itself.
      dropped ??=
        isObj(value) && typeof value['#'] === 'string' && isReservedName(value['#']) ? 'reserved-name' : 'malformed';
      continue;
    }
    out[key] = value;
    outStates[key] = state;
    kept++;
  }
  return { value: kept > 0 ? out : null, dropped: kept > 0 ? dropped : (dropped ?? 'malformed') };
}

function sanitisePut(put: unknown): Sanitised<Obj | null> {
  if (!isObj(put)) return { value: null, dropped: 'malformed' };
  const out: Obj = {};
  let dropped: DropReason | null = null;
  let kept = 0;
  for (const soul of Object.keys(put)) {
    const node: Sanitised<Obj | null> = isReservedName(soul)
      ? { value: null, dropped: 'reserved-name' }
      : sanitiseNode(soul, put[soul]);
    if (node.dropped && dropped !== 'reserved-name') dropped = node.dropped;
    if (node.value) {
      out[soul] = node.value;
      kept++;
    }
  }
  return { value: kept > 0 ? out : null, dropped };
}

/**
 * Checks one parsed wire message. `canWrite` is false for peers that may not write (write auth on
 * and the socket did not authenticate): their puts, acknowledgements with data included, are dropped.
 */
export function guardMessage(raw: unknown, canWrite: boolean): GuardResult {
  if (!isObj(raw)) return { msg: null, reason: 'malformed' };
  // Fields that select a handler, an ack listener or a dedup slot: one bad one spoils the message.
  for (const field of ['#', '@', 'pid'] as const) {
    if (raw[field] !== undefined && !okId(raw[field])) return { msg: null, reason: 'reserved-name' };
  }
  if (raw.dam !== undefined && !okName(raw.dam)) return { msg: null, reason: 'reserved-name' };
  if (raw.get !== undefined && !okGet(raw.get)) return { msg: null, reason: 'reserved-name' };
  // `put: null` carries nothing to write (some peers send it for "not found").
  const hasPut = raw.put !== undefined && raw.put !== null;
  if (hasPut && !canWrite) return { msg: null, reason: 'unauthenticated-write' };
  let reason: DropReason | null = null;
  const out: GunMessage = {};
  for (const key of Object.keys(raw)) {
    if (isReservedName(key)) {
      reason = 'reserved-name';
      continue;
    }
    out[key] = raw[key];
  }
  if (typeof out['><'] === 'string') {
    // Peers already sent to: GUN turns them into keys of a plain object.
    const sentTo = out['><'].split(',');
    const kept = sentTo.filter((p) => !isReservedName(p));
    if (kept.length < sentTo.length) {
      reason = 'reserved-name';
      out['><'] = kept.join(',');
    }
  }
  if (hasPut) {
    const put = sanitisePut(raw.put);
    if (put.dropped && reason !== 'reserved-name') reason = put.dropped;
    if (put.value) out.put = put.value;
    // An answer to a get whose data was all dropped still tells the asker "nothing here";
    // a bare put with nothing left is dropped.
    else if (out['@'] !== undefined) delete out.put;
    else return { msg: null, reason };
  }
  return { msg: out, reason };
}
