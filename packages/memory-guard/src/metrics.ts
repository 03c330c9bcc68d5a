import { Gauge, collectDefaultMetrics, type Registry } from 'prom-client';
import { MetricsRegisteredError } from './errors.js';
import type { MemoryGuard } from './memory-guard.js';
import type { MemorySample } from './sample.js';

export interface MemoryMetricsOptions {
  /**
   * Prefix of the guard's metric names (`oip_api_` → `oip_api_memory_bytes`). prom-client's default
   * metrics keep their standard names (process_resident_memory_bytes, nodejs_heap_size_used_bytes).
   * @defaultValue 'oip_'
   */
  prefix?: string;
  /**
   * Also register prom-client's default process/Node metrics on the same registry. They hold
   * an event-loop histogram and a GC observer for the life of the process, so register them
   * once per process.
   * @defaultValue true
   */
  defaultMetrics?: boolean;
}

/** The metrics added to a registry; `unregister()` removes exactly those. */
export interface MemoryMetrics {
  names: string[];
  unregister(): void;
}

const STATUS_VALUE = { ok: 0, warn: 1, critical: 2 } as const;

const MEMORY_TYPES: Array<[label: string, pick: (s: MemorySample) => number]> = [
  ['rss', (s) => s.rss],
  ['heap_used', (s) => s.heapUsed],
  ['heap_total', (s) => s.heapTotal],
  ['external', (s) => s.external],
  ['array_buffers', (s) => s.arrayBuffers],
];

/**
 * Registers gauges for the guard's latest sample, slopes and status on the registry the app
 * passes in (never the global one). Values are read from the guard at scrape time; a scrape
 * does not take a sample.
 */
export function registerMemoryMetrics(
  guard: MemoryGuard,
  registry: Registry,
  options: MemoryMetricsOptions = {},
): MemoryMetrics {
  const p = options.prefix ?? 'oip_';
  const names: string[] = [];
  const check = (name: string) => {
    if (registry.getSingleMetric(name)) throw new MetricsRegisteredError(name);
  };
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    fill: (g: Gauge<L>, s: MemorySample) => void,
  ) => {
    const full = `${p}${name}`;
    check(full);
    names.push(full);
    new Gauge<L>({
      name: full,
      help,
      labelNames,
      registers: [registry],
      collect() {
        const s = guard.latest();
        if (!s) return;
        // Labels such as resource types come and go; stale series must not linger.
        if (labelNames.length > 0) this.reset();
        fill(this, s);
      },
    });
  };

  // Fail before registering anything if the default metrics are already there.
  if (options.defaultMetrics !== false) check('process_cpu_user_seconds_total');

  gauge('memory_bytes', 'Process memory by type (process.memoryUsage), bytes.', ['type'], (g, s) => {
    for (const [type, pick] of MEMORY_TYPES) g.set({ type }, pick(s));
  });
  gauge('memory_growth_mb_per_minute', 'Least-squares growth over the guard window, MB/min.', ['type'], (g) => {
    const sl = guard.slopes();
    g.set({ type: 'rss' }, sl.rssMBPerMin);
    g.set({ type: 'heap_used' }, sl.heapUsedMBPerMin);
    g.set({ type: 'heap_total' }, sl.heapTotalMBPerMin);
    g.set({ type: 'external' }, sl.externalMBPerMin);
    g.set({ type: 'array_buffers' }, sl.arrayBuffersMBPerMin);
  });
  gauge('open_sockets_growth_per_minute', 'Least-squares growth of open sockets, per minute.', [], (g) => {
    g.set(guard.slopes().socketsPerMin);
  });
  gauge('heap_space_used_bytes', 'V8 heap space used size, bytes.', ['space'], (g, s) => {
    for (const [space, v] of Object.entries(s.heapSpaces)) g.set({ space }, v.used);
  });
  gauge('heap_space_size_bytes', 'V8 heap space size, bytes.', ['space'], (g, s) => {
    for (const [space, v] of Object.entries(s.heapSpaces)) g.set({ space }, v.size);
  });
  gauge('heap_size_limit_bytes', 'V8 heap size limit, bytes.', [], (g, s) => g.set(s.heapSizeLimit));
  gauge('event_loop_delay_seconds', 'Event-loop delay over the last sampling interval.', ['stat'], (g, s) => {
    g.set({ stat: 'mean' }, s.eventLoopDelay.meanMs / 1000);
    g.set({ stat: 'p99' }, s.eventLoopDelay.p99Ms / 1000);
    g.set({ stat: 'max' }, s.eventLoopDelay.maxMs / 1000);
  });
  gauge('event_loop_utilization_ratio', 'Event-loop utilisation over the last sampling interval (0-1).', [], (g, s) =>
    g.set(s.eventLoopUtilization),
  );
  gauge(
    'active_resources',
    "Active (ref'd) resources by type, from process.getActiveResourcesInfo().",
    ['type'],
    (g, s) => {
      for (const [type, n] of Object.entries(s.activeResources)) g.set({ type }, n);
    },
  );
  gauge('open_sockets', 'Open sockets (socket fds on Linux, else TCP handles).', [], (g, s) => g.set(s.sockets));
  gauge('open_fds', 'Open file descriptors (Linux).', [], (g, s) => {
    if (s.fds !== null) g.set(s.fds);
  });
  gauge('memory_guard_status', 'Memory guard status: 0 ok, 1 warn, 2 critical.', [], (g) => {
    g.set(STATUS_VALUE[guard.status()]);
  });

  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  return {
    names,
    unregister() {
      for (const n of names) registry.removeSingleMetric(n);
    },
  };
}
