import diagnostics from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import { countActiveResources, countFds, heapSizeLimit, heapSpaces, socketHandles } from './collect.js';
import { GuardClosedError } from './errors.js';
import { resolveOptions, type MemoryGuardOptions, type ResolvedOptions } from './options.js';
import { RingBuffer } from './ring-buffer.js';
import { SLOPE_METRICS, type MemorySample, type Slopes } from './sample.js';
import { slopeMBPerMin, slopePerMin, type Point } from './slope.js';
import { evaluateStatus, type GuardStatus, type StatusReport } from './status.js';
import type { Thresholds } from './thresholds.js';

/** Published on every status change (same object as the `status` event). */
export const statusChannel = diagnostics.channel('oip:memory-guard:status');
/** Published when a sampling tick or a status listener throws (the timer never throws). */
export const errorChannel = diagnostics.channel('oip:memory-guard:error');

export interface StatusChange extends StatusReport {
  previous: GuardStatus;
  sample: MemorySample;
}

/** Everything the health routes and the bench need in one read. */
export interface GuardSnapshot extends StatusReport {
  latest: MemorySample | null;
  slopes: Slopes;
  thresholds: Thresholds;
  intervalMs: number;
  windowMs: number;
  running: boolean;
}

type Events = { status: [StatusChange] };

const HIST_RESOLUTION_MS = 10;

/**
 * Samples this process's memory, handles and event loop into a bounded ring buffer, fits
 * growth slopes and derives ok/warn/critical. `record()` accepts samples from elsewhere
 * (another process, a test series) and applies the same analysis.
 */
export class MemoryGuard extends EventEmitter<Events> {
  readonly options: ResolvedOptions;
  #buffer: RingBuffer<MemorySample>;
  #timer: NodeJS.Timeout | null = null;
  #histogram: IntervalHistogram | null = null;
  #elu: EventLoopUtilization | null = null;
  #report: StatusReport = { status: 'ok', reasons: [], slopesJudged: false };
  #closed = false;

  constructor(options: MemoryGuardOptions = {}) {
    super();
    this.options = resolveOptions(options);
    this.#buffer = new RingBuffer(this.options.capacity);
    if (this.options.onStatusChange) this.on('status', this.options.onStatusChange);
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Starts periodic sampling (unref'd timer) and takes a first sample. Idempotent. */
  start(): this {
    if (this.#closed) throw new GuardClosedError();
    if (this.#timer) return this;
    this.#histogram = monitorEventLoopDelay({ resolution: HIST_RESOLUTION_MS });
    this.#histogram.enable();
    this.#elu = performance.eventLoopUtilization();
    this.#timer = setInterval(() => this.#tick(), this.options.intervalMs);
    this.#timer.unref();
    this.#tick();
    return this;
  }

  #tick(): void {
    try {
      this.sample();
    } catch (error) {
      if (errorChannel.hasSubscribers) errorChannel.publish({ error });
    }
  }

  /** Takes one sample of this process now, records it and returns it. */
  sample(): MemorySample {
    if (this.#closed) throw new GuardClosedError();
    const mem = process.memoryUsage();
    const resources = countActiveResources();
    const fd = this.options.collectFds ? countFds() : null;
    let eventLoopDelay = { meanMs: 0, p99Ms: 0, maxMs: 0 };
    if (this.#histogram && this.#histogram.count > 0) {
      const h = this.#histogram;
      // The histogram counts its own resolution as delay; subtract it as under-pressure does.
      eventLoopDelay = {
        meanMs: Math.max(0, h.mean / 1e6 - HIST_RESOLUTION_MS),
        p99Ms: Math.max(0, h.percentile(99) / 1e6 - HIST_RESOLUTION_MS),
        maxMs: Math.max(0, h.max / 1e6 - HIST_RESOLUTION_MS),
      };
      h.reset();
    }
    let eventLoopUtilization = 0;
    if (this.#elu) {
      const now = performance.eventLoopUtilization();
      eventLoopUtilization = performance.eventLoopUtilization(now, this.#elu).utilization;
      this.#elu = now;
    }
    const sample: MemorySample = {
      timestamp: Date.now(),
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      external: mem.external,
      arrayBuffers: mem.arrayBuffers,
      heapSizeLimit: heapSizeLimit(),
      heapSpaces: heapSpaces(),
      eventLoopDelay,
      eventLoopUtilization,
      activeResources: resources,
      sockets: fd?.socketFds ?? socketHandles(resources),
      fds: fd?.fds ?? null,
    };
    this.record(sample);
    return sample;
  }

  /** Adds a sample taken elsewhere and re-evaluates the status; emits `status` on a change. */
  record(sample: MemorySample): StatusReport {
    if (this.#closed) throw new GuardClosedError();
    this.#buffer.push(sample);
    const previous = this.#report.status;
    this.#report = evaluateStatus(sample, this.slopes(), this.options.thresholds, this.options.minSlopeSpanMs);
    if (this.#report.status !== previous) {
      const change: StatusChange = { ...this.#report, previous, sample };
      if (statusChannel.hasSubscribers) statusChannel.publish(change);
      try {
        this.emit('status', change);
      } catch (error) {
        // A throwing listener must not break sampling (or crash the process from the timer).
        if (errorChannel.hasSubscribers) errorChannel.publish({ error });
      }
    }
    return this.#report;
  }

  /** Samples held, oldest first (at most `capacity`). */
  samples(): MemorySample[] {
    return this.#buffer.toArray();
  }

  latest(): MemorySample | undefined {
    return this.#buffer.last();
  }

  /** Least-squares growth over the last `windowMs` (default: the configured window). */
  slopes(windowMs = this.options.windowMs): Slopes {
    const all = this.#buffer.toArray();
    const end = all.at(-1)?.timestamp ?? 0;
    const inWindow = all.filter((s) => s.timestamp >= end - windowMs);
    const series = (pick: (s: MemorySample) => number | null): Point[] => {
      const pts: Point[] = [];
      for (const s of inWindow) {
        const v = pick(s);
        if (v !== null) pts.push({ t: s.timestamp, v });
      }
      return pts;
    };
    const mb = Object.fromEntries(
      SLOPE_METRICS.map((m) => [`${m}MBPerMin`, slopeMBPerMin(series((s) => s[m]))]),
    ) as Pick<Slopes, `${(typeof SLOPE_METRICS)[number]}MBPerMin`>;
    return {
      ...mb,
      socketsPerMin: slopePerMin(series((s) => s.sockets)),
      fdsPerMin: slopePerMin(series((s) => s.fds)),
      samples: inWindow.length,
      spanMs: inWindow.length > 1 ? end - inWindow[0]!.timestamp : 0,
      windowMs,
    };
  }

  status(): GuardStatus {
    return this.#report.status;
  }

  report(): StatusReport {
    return this.#report;
  }

  snapshot(): GuardSnapshot {
    return {
      ...this.#report,
      latest: this.latest() ?? null,
      slopes: this.slopes(),
      thresholds: this.options.thresholds,
      intervalMs: this.options.intervalMs,
      windowMs: this.options.windowMs,
      running: this.running,
    };
  }

  /** Stops sampling, disables the event-loop histogram, drops listeners. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#histogram?.disable();
    this.#histogram = null;
    this.#elu = null;
    this.removeAllListeners();
  }
}

/** Creates a guard; call `start()` to begin sampling. */
export function createMemoryGuard(options?: MemoryGuardOptions): MemoryGuard {
  return new MemoryGuard(options);
}
