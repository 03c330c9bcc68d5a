// `pnpm bench <name> [--flag value]` runs one benchmark; `pnpm bench --list` lists them.
// Each benchmark is a module in ./benchmarks exporting `benchmark: Benchmark`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBenchmarks } from './registry.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'benchmarks');

function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a?.startsWith('--')) continue;
    const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (v !== undefined) flags[k] = v;
    else if (argv[i + 1] && !argv[i + 1]!.startsWith('--')) flags[k] = argv[++i]!;
    else flags[k] = 'true';
  }
  return flags;
}

const [name, ...rest] = process.argv.slice(2);
const all = await loadBenchmarks(dir);
if (!name || name === '--list') {
  for (const b of all.values()) console.log(`${b.name.padEnd(24)} ${b.description}`);
  process.exit(0);
}
const bench = all.get(name);
if (!bench) {
  console.error(`unknown benchmark "${name}"; known: ${[...all.keys()].join(', ')}`);
  process.exit(2);
}
try {
  await bench.run(parseFlags(rest));
  process.exit(0);
} catch (err) {
  console.error(`benchmark ${name} could not run:`, err);
  process.exit(1);
}
