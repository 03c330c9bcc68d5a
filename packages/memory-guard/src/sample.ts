/** Heap space figures from `v8.getHeapSpaceStatistics()`, in bytes. */
export interface HeapSpaceSample {
  used: number;
  size: number;
  available: number;
}

/** Event-loop delay over the last sampling interval, in milliseconds. */
export interface EventLoopDelaySample {
  meanMs: number;
  p99Ms: number;
  maxMs: number;
}

/** One reading of the process, taken by the sampler. Byte figures are bytes. */
export interface MemorySample {
  /** Epoch milliseconds. */
  timestamp: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** `v8.getHeapStatistics().heap_size_limit`: where the process dies of heap OOM. */
  heapSizeLimit: number;
  heapSpaces: Record<string, HeapSpaceSample>;
  eventLoopDelay: EventLoopDelaySample;
  /** Event-loop utilisation (0–1) over the last interval. */
  eventLoopUtilization: number;
  /** Counts of `process.getActiveResourcesInfo()` by type (ref'd handles and requests only). */
  activeResources: Record<string, number>;
  /**
   * Open sockets: socket fds from /proc/self/fd where available (these include idle,
   * unref'd keep-alive sockets), else ref'd TCP handles from the active resources.
   */
  sockets: number;
  /** Open file descriptors (Linux /proc/self/fd), or null where that cannot be read. */
  fds: number | null;
}

/** Numeric sample fields that get a growth slope. */
export const SLOPE_METRICS = ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const;

/** Growth over the slope window. Memory in MB/min, counts in units/min. */
export interface Slopes {
  rssMBPerMin: number;
  heapUsedMBPerMin: number;
  heapTotalMBPerMin: number;
  externalMBPerMin: number;
  arrayBuffersMBPerMin: number;
  socketsPerMin: number;
  fdsPerMin: number;
  /** Samples inside the window that the fit used. */
  samples: number;
  /** Time actually covered by those samples, ms. */
  spanMs: number;
  windowMs: number;
}
