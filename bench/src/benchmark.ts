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
