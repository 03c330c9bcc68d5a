// Checks a parsed JSON body before any route sees it: what JSON.parse accepts but we would store
// differently or trip over. One iterative walk (no recursion, so 100,000-deep nesting cannot
// overflow the stack) finds the first of: nesting past the bound, an own `__proto__` key (JSON.parse
// makes it an own property; copied onto an ordinary object later it would set the prototype),
// a number that overflowed to ±Infinity (`1e400`).

export type JsonProblem =
  | { kind: 'too-deep'; maxDepth: number }
  | { kind: 'reserved-key'; path: string }
  | { kind: 'not-finite'; path: string };

const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => typeof v === 'object' && v !== null;

/** The first problem in `value`, or null. Depth counts containers: `{}` is 1, `{"a":{}}` is 2. */
export function jsonProblem(value: unknown, maxDepth: number): JsonProblem | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : { kind: 'not-finite', path: '$' };
  if (!isContainer(value)) return null;
  const stack: Array<{ v: Record<string, unknown> | unknown[]; depth: number; path: string }> = [
    { v: value, depth: 1, path: '$' },
  ];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (depth > maxDepth) return { kind: 'too-deep', maxDepth };
    const keys = Array.isArray(v) ? null : Object.keys(v);
    if (keys?.includes('__proto__')) return { kind: 'reserved-key', path: `${path}.__proto__` };
    const n = keys ? keys.length : (v as unknown[]).length;
    for (let i = 0; i < n; i++) {
      const key = keys ? keys[i]! : String(i);
      const child = keys ? (v as Record<string, unknown>)[key] : (v as unknown[])[i];
      if (typeof child === 'number' && !Number.isFinite(child)) return { kind: 'not-finite', path: `${path}.${key}` };
      if (isContainer(child)) stack.push({ v: child, depth: depth + 1, path: `${path}.${key}` });
    }
  }
  return null;
}
