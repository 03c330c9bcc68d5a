// Captures what a CLI run prints: `io` goes to runCli, `out`/`err` hold the lines.
export function captureIo(): {
  out: string[];
  err: string[];
  io: { out(line: string): void; err(line: string): void };
} {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}
