// Progress of a migration phase: on a terminal one line redrawn in place (a bar, done/total and an
// ETA from the rate so far); elsewhere (a log, a pipe) a plain line at most every `intervalMs`.
// Redraws are throttled too, so a million small entries cost a few hundred writes.

export interface ProgressSink {
  write(text: string): void;
  isTTY: boolean;
}

const BAR = 24;

export class Progress {
  readonly #sink: ProgressSink;
  readonly #label: string;
  readonly #total: number;
  readonly #intervalMs: number;
  readonly #started = Date.now();
  #done = 0;
  #last = 0;

  constructor(sink: ProgressSink, label: string, total: number, opts: { intervalMs?: number } = {}) {
    this.#sink = sink;
    this.#label = label;
    this.#total = total;
    this.#intervalMs = opts.intervalMs ?? (sink.isTTY ? 200 : 5000);
  }

  tick(n = 1): void {
    this.#done += n;
    const now = Date.now();
    if (now - this.#last < this.#intervalMs) return;
    this.#last = now;
    this.#draw(now);
  }

  /** The final state, and a newline after the in-place line on a terminal. */
  end(): void {
    this.#draw(Date.now());
    if (this.#sink.isTTY) this.#sink.write('\n');
  }

  #draw(now: number): void {
    const total = Math.max(this.#total, this.#done);
    const share = total === 0 ? 1 : this.#done / total;
    const elapsed = (now - this.#started) / 1000;
    const eta = this.#done === 0 ? '?' : duration(((total - this.#done) * elapsed) / this.#done);
    const counts = `${this.#done}/${total} (${Math.floor(share * 100)}%), ETA ${eta}`;
    if (this.#sink.isTTY) {
      const filled = Math.round(share * BAR);
      this.#sink.write(`\r${this.#label} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${counts}\x1b[K`);
    } else {
      this.#sink.write(`${this.#label}: ${counts}\n`);
    }
  }
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
