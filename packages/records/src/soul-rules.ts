// The one rule set for souls and node keys: what gun-client sends, what gun-proxy stores and what
// discovery queues all pass these.

/**
 * Longest soul (and node key) accepted anywhere. Legacy souls are `<12 hex>:<localId>` or registry
 * paths (`oip:registry:nodes:<16 hex>:<soul>`), far below this.
 */
export const MAX_SOUL_LENGTH = 512;

/** C0 and C1 controls and DEL: never in a soul or a key. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/u;

// Souls additionally refuse whitespace and the separators GUN and its storage use internally.
const SOUL_FORBIDDEN = /[\u0000-\u0020\u007f-\u009f\u2028\u2029\ufeff]/u;

// With the u flag, a surrogate range only matches unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Names that, used as a property name on an ordinary object, reach Object.prototype or shadow its
 * members: refused as souls (a soul indexes GUN's graph and every cache keyed by soul).
 */
export const RESERVED_SOULS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** Why a soul is a reserved name, or null. */
export function reservedSoulProblem(soul: string): string | null {
  return RESERVED_SOULS.has(soul) ? `"${soul}" is a reserved name` : null;
}

/** Why a node key is a reserved name, or null (`constructor` and the like are fine as keys of null-prototype nodes). */
export function reservedKeyProblem(key: string): string | null {
  return key === '__proto__' ? '"__proto__" is a reserved name' : null;
}

/** Why a soul is refused (empty, too long, whitespace/control characters, user space, bad Unicode), or null. */
export function soulProblem(soul: string): string | null {
  if (soul.length === 0) return 'empty';
  if (soul.length > MAX_SOUL_LENGTH) return `longer than ${MAX_SOUL_LENGTH} characters`;
  if (SOUL_FORBIDDEN.test(soul)) return 'contains whitespace or control characters';
  if (soul.startsWith('~')) return 'user-space (~) souls are not served by OIP relays';
  if (LONE_SURROGATE.test(soul)) return 'is not well-formed Unicode';
  return null;
}

/** Keys inside a node: GUN reserves `_`, `#`, `>`, `<`; the length and control-character rules of souls apply. */
export function keyProblem(key: string): string | null {
  if (key === '__proto__') return '"__proto__" is a reserved name';
  if (key === '_' || key === '#' || key === '>' || key === '<') return `"${key}" is reserved by GUN`;
  if (key.length > MAX_SOUL_LENGTH) return `key longer than ${MAX_SOUL_LENGTH} characters`;
  if (CONTROL_CHARS.test(key)) return 'key contains control characters';
  return null;
}

/** The media id rule of relays: no `:` or `/` (a `media:<id>` soul must not reach a presence soul or a child node). */
const MEDIA_ID_SAFE = /^[A-Za-z0-9._-]{1,128}$/;

/** Why a media id (or presence peer id) is refused, or null. Legacy ids are 64 lowercase hex (isMediaId). */
export function mediaIdProblem(id: string): string | null {
  return MEDIA_ID_SAFE.test(id) ? null : 'must be 1-128 characters of A-Z a-z 0-9 . _ - (no ":" or "/")';
}
