import v8 from 'node:v8';
import type { MemoryGuard } from './memory-guard.js';
import type { MemorySample } from './sample.js';
import { slopeMBPerMin, type Point } from './slope.js';

// Shapes of the legacy node's diagnostics endpoints (docs: oip-legacy-reference.md, "Health and
// memory"), kept so existing dashboards and runbooks (`jq '.tracker.growthRate'`) still work.

const MB = 1024 * 1024;
const oneDecimal = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** Samples the legacy tracker kept. */
export const LEGACY_TRACKER_SAMPLES = 30;

export interface LegacyMemoryReport {
  status: string;
  timestamp: string;
  uptime: number;
  /** process.memoryUsage(), MB with one decimal. */
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /** v8.getHeapStatistics(), MB with one decimal (context counts as counts). */
  heapStats: {
    totalHeapSize: number;
    usedHeapSize: number;
    heapSizeLimit: number;
    totalAvailableSize: number;
    mallocedMemory: number;
    peakMallocedMemory: number;
    numberOfNativeContexts: number;
    numberOfDetachedContexts: number;
  };
  ratios: { externalToHeapPercent: number; externalToRssPercent: number };
}

/** `GET /api/health/memory`: a fresh reading of this process (not the ring buffer). */
export function legacyMemoryReport(guard: MemoryGuard): LegacyMemoryReport {
  const m = process.memoryUsage();
  const h = v8.getHeapStatistics();
  const pct = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 10 : 0);
  return {
    status: guard.status(),
    timestamp: new Date().toISOString(),
    uptime: Math.round(process.uptime()),
    memory: {
      rss: oneDecimal(m.rss),
      heapTotal: oneDecimal(m.heapTotal),
      heapUsed: oneDecimal(m.heapUsed),
      external: oneDecimal(m.external),
      arrayBuffers: oneDecimal(m.arrayBuffers),
    },
    heapStats: {
      totalHeapSize: oneDecimal(h.total_heap_size),
      usedHeapSize: oneDecimal(h.used_heap_size),
      heapSizeLimit: oneDecimal(h.heap_size_limit),
      totalAvailableSize: oneDecimal(h.total_available_size),
      mallocedMemory: oneDecimal(h.malloced_memory),
      peakMallocedMemory: oneDecimal(h.peak_malloced_memory),
      numberOfNativeContexts: h.number_of_native_contexts,
      numberOfDetachedContexts: h.number_of_detached_contexts,
    },
    ratios: { externalToHeapPercent: pct(m.external, m.heapUsed), externalToRssPercent: pct(m.external, m.rss) },
  };
}

export interface LegacyTrackerReport {
  status: string;
  tracker: {
    samples: number;
    /** Minutes covered, one decimal. */
    timeSpan: string;
    current: { rss: string; heap: string; external: string; handles: number; requests: number };
    growth: { rss: string; heap: string; external: string; handles: number; requests: number };
    /** MB/min with one decimal, least squares over the kept samples. */
    growthRate: { externalMBPerMin: string; heapMBPerMin: string; rssMBPerMin: string; arrayBuffersMBPerMin: string };
  };
}

function handles(s: MemorySample): number {
  let n = 0;
  for (const [type, c] of Object.entries(s.activeResources)) if (!/Req/.test(type)) n += c;
  return n;
}

function requests(s: MemorySample): number {
  let n = 0;
  for (const [type, c] of Object.entries(s.activeResources)) if (/Req/.test(type)) n += c;
  return n;
}

/**
 * `GET /api/health/memory/tracker`: the legacy tracker over the guard's last 30 samples.
 * Unlike the legacy one (last minus first), growthRate is a least-squares fit, so a GC drop
 * at either end does not swing it.
 */
export function legacyTrackerReport(guard: MemoryGuard): LegacyTrackerReport {
  const kept = guard.samples().slice(-LEGACY_TRACKER_SAMPLES);
  const first = kept[0];
  const last = kept.at(-1);
  const mbInt = (b: number) => `${(b / MB).toFixed(0)}MB`;
  const rate = (pick: (s: MemorySample) => number) =>
    slopeMBPerMin(kept.map((s): Point => ({ t: s.timestamp, v: pick(s) }))).toFixed(1);
  const spanMin = first && last ? (last.timestamp - first.timestamp) / 60_000 : 0;
  return {
    status: guard.status(),
    tracker: {
      samples: kept.length,
      timeSpan: spanMin.toFixed(1),
      current: {
        rss: mbInt(last?.rss ?? 0),
        heap: mbInt(last?.heapUsed ?? 0),
        external: mbInt(last?.external ?? 0),
        handles: last ? handles(last) : 0,
        requests: last ? requests(last) : 0,
      },
      growth: {
        rss: mbInt(first && last ? last.rss - first.rss : 0),
        heap: mbInt(first && last ? last.heapUsed - first.heapUsed : 0),
        external: mbInt(first && last ? last.external - first.external : 0),
        handles: first && last ? handles(last) - handles(first) : 0,
        requests: first && last ? requests(last) - requests(first) : 0,
      },
      growthRate: {
        externalMBPerMin: rate((s) => s.external),
        heapMBPerMin: rate((s) => s.heapUsed),
        rssMBPerMin: rate((s) => s.rss),
        arrayBuffersMBPerMin: rate((s) => s.arrayBuffers),
      },
    },
  };
}
