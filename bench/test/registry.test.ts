import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadBenchmarks } from '../src/registry.js';

const dir = fileURLToPath(new URL('../src/benchmarks/', import.meta.url));

describe('benchmark registry', () => {
  it('lists every benchmark module under its file name, the records benchmarks included', async () => {
    const all = await loadBenchmarks(dir);
    const files = (await readdir(dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect([...all.keys()]).toEqual(files);
    expect([...all.keys()]).toEqual(
      expect.arrayContaining(['records-dref', 'records-query', 'store-bulk', 'gun-client-404']),
    );
    for (const b of all.values()) expect(b.description.length, b.name).toBeGreaterThan(10);
  });
});
