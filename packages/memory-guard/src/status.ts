import type { MemorySample, Slopes } from './sample.js';
import { ABSOLUTE_KEYS, SLOPE_KEYS, type Threshold, type ThresholdKey, type Thresholds } from './thresholds.js';

export type GuardStatus = 'ok' | 'warn' | 'critical';

/** Why the status is not ok: one entry per threshold crossed. */
export interface StatusReason {
  metric: ThresholdKey;
  level: 'warn' | 'critical';
  value: number;
  threshold: number;
}

export interface StatusReport {
  status: GuardStatus;
  reasons: StatusReason[];
  /** False until the samples cover the minimum slope span; slope thresholds are skipped until then. */
  slopesJudged: boolean;
}

const RANK: Record<GuardStatus, number> = { ok: 0, warn: 1, critical: 2 };

export function worse(a: GuardStatus, b: GuardStatus): GuardStatus {
  return RANK[a] >= RANK[b] ? a : b;
}

function absoluteValue(key: (typeof ABSOLUTE_KEYS)[number], s: MemorySample): number | null {
  switch (key) {
    case 'heapUsedBytes':
      return s.heapUsed;
    case 'rssBytes':
      return s.rss;
    case 'externalBytes':
      return s.external;
    case 'eventLoopDelayMs':
      return s.eventLoopDelay.meanMs;
    case 'sockets':
      return s.sockets;
    case 'fds':
      return s.fds;
  }
}

function judge(metric: ThresholdKey, value: number | null, t: Threshold | undefined): StatusReason | null {
  if (value === null || !t || !Number.isFinite(value)) return null;
  if (t.critical !== undefined && value > t.critical)
    return { metric, level: 'critical', value, threshold: t.critical };
  if (t.warn !== undefined && value > t.warn) return { metric, level: 'warn', value, threshold: t.warn };
  return null;
}

/** Status from the latest sample and the current slopes. */
export function evaluateStatus(
  latest: MemorySample | undefined,
  slopes: Slopes,
  thresholds: Thresholds,
  minSlopeSpanMs: number,
): StatusReport {
  const reasons: StatusReason[] = [];
  if (latest) {
    for (const key of ABSOLUTE_KEYS) {
      const r = judge(key, absoluteValue(key, latest), thresholds[key]);
      if (r) reasons.push(r);
    }
  }
  // A fit over a few seconds of start-up allocation says nothing about a leak.
  const slopesJudged = slopes.samples >= 3 && slopes.spanMs >= minSlopeSpanMs;
  if (slopesJudged) {
    for (const key of SLOPE_KEYS) {
      const r = judge(key, slopes[key], thresholds[key]);
      if (r) reasons.push(r);
    }
  }
  const status = reasons.reduce<GuardStatus>((acc, r) => worse(acc, r.level), 'ok');
  return { status, reasons, slopesJudged };
}
