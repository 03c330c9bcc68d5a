// The benchmarks: every module in a directory exporting `benchmark: Benchmark`, by name.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark } from './benchmark.js';

/** Modules of `dir` (built `.js`, or `.ts` sources under vitest), sorted by file name. */
export async function loadBenchmarks(dir: string): Promise<Map<string, Benchmark>> {
  const out = new Map<string, Benchmark>();
  for (const file of (await readdir(dir)).sort()) {
    if (!/\.(js|ts)$/.test(file) || file.endsWith('.d.ts')) continue;
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { benchmark?: Benchmark };
    if (mod.benchmark) out.set(mod.benchmark.name, mod.benchmark);
  }
  return out;
}
