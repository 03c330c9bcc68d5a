import { describe, expect, it } from 'vitest';
import { guardMessage, isReservedName } from '../../src/gun/wire-guard.js';

const parse = (raw: string): unknown => JSON.parse(raw);

describe('guardMessage', () => {
  it('treats every Object.prototype member and "prototype" as reserved, nothing else', () => {
    for (const n of [
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'toString',
      'valueOf',
      '__defineGetter__',
      'prototype',
    ]) {
      expect(isReservedName(n)).toBe(true);
    }
    for (const n of ['proto', 'oip:registry:index:image', '_', '#', 'Constructor'])
      expect(isReservedName(n)).toBe(false);
  });

  it('passes a well-formed put through unchanged, rebuilt from own keys', () => {
    const msg = { '#': 'a1', put: { 's:1': { _: { '#': 's:1', '>': { k: 1, l: 2 } }, k: 'v', l: { '#': 's:2' } } } };
    const out = guardMessage(msg, true);
    expect(out).toEqual({ msg, reason: null });
    expect(out.msg).not.toBe(msg);
  });

  it('drops reserved souls, keys and links but keeps the rest of the message', () => {
    const raw = parse(
      '{"#":"a2","put":{"__proto__":{"_":{"#":"__proto__",">":{"a":1}},"a":1},' +
        '"s:1":{"_":{"#":"s:1",">":{"__proto__":1,"k":1,"l":1}},"__proto__":{"x":1},"k":"v","l":{"#":"constructor"}}}}',
    );
    const out = guardMessage(raw, true);
    expect(out.reason).toBe('reserved-name');
    expect(out.msg).toEqual({ '#': 'a2', put: { 's:1': { _: { '#': 's:1', '>': { k: 1 } }, k: 'v' } } });
  });

  it('drops keys without a numeric state, non-GUN values and nodes whose soul does not match', () => {
    const out = guardMessage(
      {
        put: {
          's:1': { _: { '#': 's:1', '>': { a: 1, b: 'x', c: 1 } }, a: 'ok', b: 'no state', c: { nested: 1 } },
          's:2': { _: { '#': 'other', '>': {} } },
        },
      },
      true,
    );
    expect(out).toEqual({
      msg: { put: { 's:1': { _: { '#': 's:1', '>': { a: 1 } }, a: 'ok' } } },
      reason: 'malformed',
    });
  });

  it('drops the whole message for a reserved id, ack, pid, handler or get', () => {
    for (const raw of [
      '{"#":"__proto__","get":{"#":"s:1"}}',
      '{"@":"constructor","ok":1}',
      '{"dam":"toString"}',
      '{"dam":"?","pid":"__proto__"}',
      '{"get":{"#":"__proto__"}}',
      '{"get":{"#":"s:1",".":"hasOwnProperty"}}',
      '{"get":{"#":"s:1",".":{"*":"__proto__"}}}',
    ]) {
      expect(guardMessage(parse(raw), true)).toEqual({ msg: null, reason: 'reserved-name' });
    }
    expect(guardMessage([], true)).toEqual({ msg: null, reason: 'malformed' });
  });

  it('a peer that may not write: puts (answers included) dropped, gets and acks kept', () => {
    const put = { '#': 'p', put: { 's:1': { _: { '#': 's:1', '>': { k: 1 } }, k: 'v' } } };
    expect(guardMessage(put, false)).toEqual({ msg: null, reason: 'unauthenticated-write' });
    expect(guardMessage({ ...put, '@': 'q' }, false)).toEqual({ msg: null, reason: 'unauthenticated-write' });
    expect(guardMessage({ '#': 'g', get: { '#': 's:1' } }, false)).toEqual({
      msg: { '#': 'g', get: { '#': 's:1' } },
      reason: null,
    });
    expect(guardMessage({ '@': 'g', put: null }, false).msg).toEqual({ '@': 'g', put: null });
  });

  it('an answer whose data was all dropped still reaches the asker, without the data', () => {
    const out = guardMessage(parse('{"@":"ask1","put":{"__proto__":{"_":{"#":"__proto__",">":{"a":1}},"a":1}}}'), true);
    expect(out).toEqual({ msg: { '@': 'ask1' }, reason: 'reserved-name' });
  });
});
