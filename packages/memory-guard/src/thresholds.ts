/**
 * A warn/critical pair. A value strictly above `critical` is critical, else strictly above
 * `warn` is warn. Leave either out to skip that level.
 */
export interface Threshold {
  warn?: number;
  critical?: number;
}

/** Thresholds on absolute values (bytes, ms, counts) and on slopes (per minute). */
export interface Thresholds {
  /**
   * heapUsed, bytes.
   * @defaultValue warn at 70 %, critical at 85 % of v8's heap_size_limit
   */
  heapUsedBytes?: Threshold;
  /** rss, bytes. @defaultValue none (container limits differ; set it from the deployment) */
  rssBytes?: Threshold;
  /** external (Buffers and other off-heap memory), bytes. @defaultValue none */
  externalBytes?: Threshold;
  /** Mean event-loop delay over the last interval, ms. @defaultValue warn 200, critical 1000 */
  eventLoopDelayMs?: Threshold;
  /** Open sockets. @defaultValue none (set it from the configured pool sizes) */
  sockets?: Threshold;
  /** Open file descriptors. @defaultValue none */
  fds?: Threshold;
  /** heapUsed growth, MB/min. @defaultValue warn 1, critical 5 */
  heapUsedMBPerMin?: Threshold;
  /** rss growth, MB/min. @defaultValue warn 2, critical 10 */
  rssMBPerMin?: Threshold;
  /** external growth, MB/min (seed 001 leaked ~50 MB/min here). @defaultValue warn 1, critical 5 */
  externalMBPerMin?: Threshold;
  /** Socket growth, sockets/min (seed 003 leaked ~5/min). @defaultValue warn 1, critical 5 */
  socketsPerMin?: Threshold;
}

export type ThresholdKey = keyof Thresholds;

/** Absolute-value thresholds; the rest are slope thresholds (judged only once warmed up). */
export const ABSOLUTE_KEYS = [
  'heapUsedBytes',
  'rssBytes',
  'externalBytes',
  'eventLoopDelayMs',
  'sockets',
  'fds',
] as const;
export const SLOPE_KEYS = ['heapUsedMBPerMin', 'rssMBPerMin', 'externalMBPerMin', 'socketsPerMin'] as const;

export function defaultThresholds(heapSizeLimit: number): Required<Thresholds> {
  return {
    heapUsedBytes: { warn: Math.round(heapSizeLimit * 0.7), critical: Math.round(heapSizeLimit * 0.85) },
    rssBytes: {},
    externalBytes: {},
    eventLoopDelayMs: { warn: 200, critical: 1000 },
    sockets: {},
    fds: {},
    heapUsedMBPerMin: { warn: 1, critical: 5 },
    rssMBPerMin: { warn: 2, critical: 10 },
    externalMBPerMin: { warn: 1, critical: 5 },
    socketsPerMin: { warn: 1, critical: 5 },
  };
}
