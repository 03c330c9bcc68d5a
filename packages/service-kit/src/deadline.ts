// A promise raced against a timer: rejects with the caller's error when time runs out, and
// always clears the timer (no handle outlives the call).

/** Resolves as `p` does, or rejects with `onTimeout()` after `ms`. `p` keeps running; callers bound it themselves. */
export function withDeadline<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
