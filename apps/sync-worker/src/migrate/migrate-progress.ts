// Progress of one index's pass: on a terminal a bar redrawn in place (counts, rate and ETA), at
// most every 200 ms; otherwise a plain line every 5 s and one at the end.

export interface ProgressSink {
  /** True when the sink is a terminal (the bar is redrawn in place). */
  isTTY: boolean;
  write(text: string): void;
}

const BAR = 24;

function duration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ProgressCounts {
  read: number;
  written: number;
  skipped: number;
  failed: number;
}

export class MigrateProgress {
  readonly #sink: ProgressSink;
  readonly #label: string;
  readonly #total: number;
  readonly #start: number;
  readonly #base: number;
  readonly #now: () => number;
  #last = 0;

  /** `done` documents were read before this run (a resumed pass); the rate counts this run's. */
  constructor(sink: ProgressSink, label: string, total: number, done: number, now: () => number = Date.now) {
    this.#sink = sink;
    this.#label = label;
    this.#total = total;
    this.#base = done;
    this.#now = now;
    this.#start = now();
  }

  #line(c: ProgressCounts): string {
    const elapsed = (this.#now() - this.#start) / 1000;
    const rate = elapsed > 0 ? (c.read - this.#base) / elapsed : 0;
    const left = Math.max(0, this.#total - c.read);
    const pct = this.#total > 0 ? Math.min(100, Math.floor((c.read / this.#total) * 100)) : 100;
    const counts = `${c.read}/${this.#total} written ${c.written} skipped ${c.skipped} failed ${c.failed}`;
    const tail = `${Math.round(rate)}/s ETA ${rate > 0 ? duration(left / rate) : '?'}`;
    if (!this.#sink.isTTY) return `${this.#label}: ${counts} (${pct}%), ${tail}\n`;
    const filled = Math.round((pct / 100) * BAR);
    return `\r${this.#label} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${pct}% ${counts} ${tail}\u001b[K`;
  }

  update(c: ProgressCounts): void {
    const t = this.#now();
    if (t - this.#last < (this.#sink.isTTY ? 200 : 5000)) return;
    this.#last = t;
    this.#sink.write(this.#line(c));
  }

  finish(c: ProgressCounts): void {
    this.#sink.write(this.#line(c) + (this.#sink.isTTY ? '\n' : ''));
  }
}
