// Progress of a schema upgrade that rewrites every row (a million records take minutes): lines at
// info through the caller's pino-compatible logger, with rows done / total and an estimate of the
// time left from the rate so far, at most one per interval plus the first and the last. The
// store logs nothing when it is given no logger.

/** The part of a pino logger the upgrade uses. */
export interface MigrationLogger {
  info(obj: object, msg: string): void;
}

export interface MigrationProgressOptions {
  logger?: MigrationLogger | undefined;
  /** Least time between two progress lines of a step. @defaultValue 2000 */
  intervalMs?: number | undefined;
  /** The clock, ms. @defaultValue performance.now */
  now?: () => number;
}

/** What a row-rewriting step reports. */
export interface RowProgress {
  /** How many rows the step will rewrite (before the first batch). */
  total(rows: number): void;
  /** `rows` more are done. */
  advance(rows: number): void;
}

/** Whole seconds, rounded up ("about 1 s" rather than 0 while rows remain). */
const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

/** A RowProgress that logs step `step` of the upgrade to `toVersion`; undefined without a logger. */
export function rowProgress(step: string, toVersion: number, opts: MigrationProgressOptions): RowProgress | undefined {
  const { logger } = opts;
  if (logger === undefined) return undefined;
  const now = opts.now ?? (() => performance.now());
  const interval = opts.intervalMs ?? 2000;
  let total = 0;
  let done = 0;
  let startedAt = now();
  let loggedAt = startedAt;
  const line = () => {
    const elapsed = now() - startedAt;
    // The rate so far; none before the first batch.
    const etaSeconds = done === 0 ? null : seconds(((total - done) * elapsed) / done);
    const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
    const left =
      etaSeconds === null
        ? 'estimating the time left'
        : done >= total
          ? `done in ${(elapsed / 1000).toFixed(1)} s`
          : `about ${etaSeconds} s left`;
    logger.info(
      { step, toVersion, done, total, percent, etaSeconds, elapsedMs: Math.round(elapsed) },
      `record store upgrade to schema v${toVersion} (${step}): ${done}/${total} rows (${percent}%), ${left}`,
    );
    loggedAt = now();
  };
  return {
    total(rows) {
      total = rows;
      done = 0;
      startedAt = now();
      if (rows > 0) line();
    },
    advance(rows) {
      done = Math.min(total, done + rows);
      if (done >= total || now() - loggedAt >= interval) line();
    },
  };
}
