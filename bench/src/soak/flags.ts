import { SCENARIOS, type ScenarioName } from './scenarios.js';

export interface SoakFlags {
  durationMs: number;
  scenario: ScenarioName;
  /** Sampling period of every process. */
  intervalMs: number;
  /** Samples before this are excluded from the verdict (start-up allocation is not a leak). */
  warmupMs: number;
  /** Concurrent requests of the load generator against gun-proxy. */
  concurrency: number;
  /** Where the chart and the raw series go. */
  outDir: string;
}

const MAX_MS = 24 * 3_600_000;
/**
 * The run docs/benchmarks.md stands by: 25 minutes, the first 10 excluded. Shorter runs end
 * while RSS is still settling (caches filling to their caps); see plateau.ts for the RSS rule.
 */
export const DEFAULT_DURATION = '25m';
export const DEFAULT_WARMUP_MS = 10 * 60_000;
/** Of a shorter --duration without --warmup, this share is warm-up. */
export const DEFAULT_WARMUP_SHARE = 0.4;

/** `90s`, `10m`, `2h`, `1500ms` or a bare number of seconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`--${flag}: expected a duration like 60s, 10m or 24h, got "${text}"`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
  return Math.round(ms);
}

export function parseFlags(flags: Record<string, string>): SoakFlags {
  const durationMs = parseDuration(flags.duration ?? DEFAULT_DURATION, 'duration');
  if (durationMs < 10_000 || durationMs > MAX_MS) throw new Error('--duration must be between 10s and 24h');
  const scenario = (flags.scenario ?? 'mixed') as ScenarioName;
  if (!(scenario in SCENARIOS)) {
    throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}; got "${scenario}"`);
  }
  // About 120 samples per run, between 1 s and 10 s apart (24 h → 8,640 samples a process).
  const defaultInterval = Math.min(10_000, Math.max(1_000, Math.round(durationMs / 120)));
  const intervalMs = flags.interval ? parseDuration(flags.interval, 'interval') : defaultInterval;
  const warmupMs = flags.warmup
    ? parseDuration(flags.warmup, 'warmup')
    : Math.min(DEFAULT_WARMUP_MS, Math.round(durationMs * DEFAULT_WARMUP_SHARE));
  if (warmupMs >= durationMs) throw new Error('--warmup must be shorter than --duration');
  const concurrency = Number(flags.concurrency ?? 16);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    throw new Error('--concurrency must be 1..256');
  return { durationMs, scenario, intervalMs, warmupMs, concurrency, outDir: flags.out ?? 'out' };
}
