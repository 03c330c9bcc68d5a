// `hideNullValues=true`: null fields are left out of the reply (legacy), at any depth.

export function dropNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropNulls) as T;
  if (typeof value !== 'object' || value === null) return value;
  // Null-prototype: a record's own `__proto__` key (JSON.parse keeps one) stays a key instead of
  // becoming this object's prototype.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
  return out as T;
}
