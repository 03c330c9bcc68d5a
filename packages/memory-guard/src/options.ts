import { InvalidOptionsError } from './errors.js';
import type { StatusChange } from './memory-guard.js';
import { defaultThresholds, type Thresholds } from './thresholds.js';
import { heapSizeLimit } from './collect.js';

export interface MemoryGuardOptions {
  /** Sampling period of `start()`, ms. @defaultValue 5000 */
  intervalMs?: number;
  /** Samples kept in the ring buffer (oldest dropped). @defaultValue 720 (one hour at 5 s) */
  capacity?: number;
  /** Window of the least-squares growth slopes, ms. @defaultValue 600000 (10 min) */
  windowMs?: number;
  /**
   * Slope thresholds are judged only once the samples in the window span at least this long,
   * so start-up allocation is not read as a leak.
   * @defaultValue half of `windowMs`
   */
  minSlopeSpanMs?: number;
  /** Overrides per key; a key given replaces that key's default pair. @defaultValue see {@link Thresholds} */
  thresholds?: Thresholds;
  /** Count fds and socket fds from /proc/self/fd (Linux). @defaultValue true */
  collectFds?: boolean;
  /** Called when the status changes (also emitted as the `status` event). */
  onStatusChange?: (change: StatusChange) => void;
}

export interface ResolvedOptions {
  intervalMs: number;
  capacity: number;
  windowMs: number;
  minSlopeSpanMs: number;
  thresholds: Thresholds;
  collectFds: boolean;
  onStatusChange: ((change: StatusChange) => void) | undefined;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionsError(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

export function resolveOptions(opts: MemoryGuardOptions = {}): ResolvedOptions {
  const intervalMs = positive('intervalMs', opts.intervalMs ?? 5000);
  const capacity = opts.capacity ?? 720;
  if (!Number.isInteger(capacity) || capacity < 2) {
    throw new InvalidOptionsError(`capacity must be an integer ≥ 2, got ${String(capacity)}`);
  }
  const windowMs = positive('windowMs', opts.windowMs ?? 600_000);
  const minSlopeSpanMs = opts.minSlopeSpanMs ?? windowMs / 2;
  if (!Number.isFinite(minSlopeSpanMs) || minSlopeSpanMs < 0) {
    throw new InvalidOptionsError(`minSlopeSpanMs must be ≥ 0, got ${String(minSlopeSpanMs)}`);
  }
  const thresholds = { ...defaultThresholds(heapSizeLimit()), ...opts.thresholds };
  for (const [key, t] of Object.entries(thresholds)) {
    if (t.warn !== undefined && t.critical !== undefined && t.warn > t.critical) {
      throw new InvalidOptionsError(`thresholds.${key}: warn (${t.warn}) is above critical (${t.critical})`);
    }
  }
  return {
    intervalMs,
    capacity,
    windowMs,
    minSlopeSpanMs,
    thresholds,
    collectFds: opts.collectFds ?? true,
    onStatusChange: opts.onStatusChange,
  };
}
