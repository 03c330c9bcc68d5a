// What a soul (GUN node id) may look like when it arrives over HTTP.

/** Longest soul accepted. Legacy souls are `<12 hex>:<localId>` or registry paths, far below this. */
export const MAX_SOUL_LENGTH = 512;

// C0 and C1 controls, DEL, whitespace, and the separators GUN and its storage use internally.
const FORBIDDEN = /[\u0000-\u0020\u007f-\u009f\u2028\u2029\ufeff]/u;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

// With the u flag, a surrogate range only matches unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Names that, used as a property name on an ordinary object, reach Object.prototype or shadow its
 * members: refused as souls (a soul indexes GUN's graph and our caches), `__proto__` also as a key.
 */
const RESERVED_SOULS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/** Why a soul is a reserved name, or null. */
export function reservedSoulProblem(soul: string): string | null {
  return RESERVED_SOULS.has(soul) ? `"${soul}" is a reserved name` : null;
}

/** Why a node key is a reserved name, or null. `constructor` and the like are fine as keys: every node is built null-prototype. */
export function reservedKeyProblem(key: string): string | null {
  return key === '__proto__' ? '"__proto__" is a reserved name' : null;
}

/** The media id rule: no `:` or `/` (a `media:<id>` soul must not reach a presence soul or a child node). */
const MEDIA_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Why a media id (or presence peer id) is refused, or null. Legacy ids are 64 lowercase hex. */
export function mediaIdProblem(id: string): string | null {
  if (!MEDIA_ID.test(id)) return 'must be 1-128 characters of A-Z a-z 0-9 . _ - (no ":" or "/")';
  return null;
}

/** Why a soul is refused, or null when it is fine. */
export function soulProblem(soul: string): string | null {
  if (soul.length === 0) return 'empty';
  if (soul.length > MAX_SOUL_LENGTH) return `longer than ${MAX_SOUL_LENGTH} characters`;
  if (FORBIDDEN.test(soul)) return 'contains whitespace or control characters';
  if (soul.startsWith('~')) return 'user-space (~) souls are not served by this relay';
  if (LONE_SURROGATE.test(soul)) return 'is not well-formed Unicode';
  return null;
}

/** Keys inside a node: GUN reserves `_`; the same character rules as souls apply. */
export function keyProblem(key: string): string | null {
  if (key === '__proto__') return '"__proto__" is a reserved name';
  if (key === '_' || key === '#' || key === '>' || key === '<') return `"${key}" is reserved by GUN`;
  if (key.length > MAX_SOUL_LENGTH) return `key longer than ${MAX_SOUL_LENGTH} characters`;
  if (CONTROL.test(key)) return 'key contains control characters';
  return null;
}
