import type { MemorySample } from '../src/index.js';

export const MB = 1024 * 1024;

/** A sample with quiet defaults; tests override the fields they exercise. */
export function makeSample(partial: Partial<MemorySample> & { timestamp: number }): MemorySample {
  return {
    rss: 100 * MB,
    heapUsed: 20 * MB,
    heapTotal: 40 * MB,
    external: 2 * MB,
    arrayBuffers: 1 * MB,
    heapSizeLimit: 4096 * MB,
    heapSpaces: {},
    eventLoopDelay: { meanMs: 0, p99Ms: 0, maxMs: 0 },
    eventLoopUtilization: 0,
    activeResources: {},
    sockets: 0,
    fds: 20,
    ...partial,
  };
}

/** Deterministic noise in [-1, 1) (LCG), so a tolerance failure is reproducible. */
export function noise(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}
