// What a soul (GUN node id) may look like when it arrives over HTTP.

/** Longest soul accepted. Legacy souls are `<12 hex>:<localId>` or registry paths, far below this. */
export const MAX_SOUL_LENGTH = 512;

// C0 and C1 controls, DEL, whitespace, and the separators GUN and its storage use internally.
const FORBIDDEN = /[\u0000-\u0020\u007f-\u009f\u2028\u2029\ufeff]/u;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

// With the u flag, a surrogate range only matches unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

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
  if (key === '_' || key === '#' || key === '>' || key === '<') return `"${key}" is reserved by GUN`;
  if (key.length > MAX_SOUL_LENGTH) return `key longer than ${MAX_SOUL_LENGTH} characters`;
  if (CONTROL.test(key)) return 'key contains control characters';
  return null;
}
