import { availableParallelism, loadavg } from 'node:os';

/** One benchmark: starts what it needs on loopback, bounds its own duration, cleans up. */
export interface Benchmark {
  name: string;
  description: string;
  run(flags: Record<string, string>): Promise<void>;
}

/** Prints a small aligned table. */
export function printTable(headers: string[], rows: Array<Array<string | number>>): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

/** The closing line every benchmark prints: `RESULT <name> k=v ... goal=<met|missed>`. */
export function printResult(name: string, values: Record<string, string | number>, goalMet: boolean): void {
  const kv = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  console.log(`RESULT ${name} ${kv.join(' ')} goal=${goalMet ? 'met' : 'missed'}`);
}

/** A numeric `--name` flag within [min, max]; `fallback` when absent; anything else throws, naming the flag. */
export function numberFlag(
  flags: Record<string, string>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return n;
}

/** The box's load average (1, 5, 15 min) and core count, as one line to print at a run's start and end. */
export function loadLine(): string {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return `loadavg ${one.toFixed(2)} ${five.toFixed(2)} ${fifteen.toFixed(2)} (1/5/15 min, ${availableParallelism()} cores)`;
}
