// Memory pressure pauses record processing (jobs wait in Redis, not in this heap): the memory
// guard, memory-guard's pause controller (pause at critical, resume only back at ok: a worker
// hovering at the critical threshold does not flap at warn) and the guard's metrics.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  MemoryGuard,
  createPauseController,
  registerMemoryMetrics,
  type MemoryMetrics,
  type PauseController,
} from '@oip/memory-guard';

export interface MemoryPauseOptions {
  /** A guard to use (borrowed), false for none; one is created (and closed) when absent. */
  guard: MemoryGuard | false | undefined;
  /** Sampling period of a guard created here. */
  sampleMs: number;
  /** What is paused and resumed (the record worker). */
  target: { pause(): Promise<void>; resume(): Promise<void> };
  logger: Logger;
}

export class MemoryPause {
  readonly #guard: MemoryGuard | null;
  readonly #ownsGuard: boolean;
  readonly #pauser: PauseController | null;
  #metrics: MemoryMetrics | null = null;

  constructor(o: MemoryPauseOptions) {
    this.#ownsGuard = o.guard === undefined;
    this.#guard = o.guard === false ? null : (o.guard ?? new MemoryGuard({ intervalMs: o.sampleMs }));
    this.#pauser = this.#guard
      ? createPauseController({
          guard: this.#guard,
          pause: () => o.target.pause(),
          resume: () => o.target.resume(),
          onChange: (nowPaused, change) => {
            if (nowPaused) o.logger.warn({ reasons: change?.reasons ?? [] }, 'memory critical: pausing sync worker');
            else o.logger.info('memory back to ok: resuming sync worker');
          },
          onError: (err) => o.logger.error({ err }, 'memory pause/resume failed'),
        })
      : null;
    if (this.#ownsGuard) this.#guard?.start();
  }

  get paused(): boolean {
    return this.#pauser?.paused ?? false;
  }

  /** The guard's status for /health ('off' without a guard). */
  status(): string {
    return this.#guard ? this.#guard.status() : 'off';
  }

  /** Registers the guard's gauges (and, when asked, prom-client's process metrics) on `registry`. */
  registerMetrics(registry: Registry, processMetrics: boolean): void {
    if (this.#guard)
      this.#metrics = registerMemoryMetrics(this.#guard, registry, {
        prefix: 'oip_sync_',
        defaultMetrics: processMetrics,
      });
  }

  /** Stops reacting to the guard; the worker is closing (it is not resumed). */
  stop(): void {
    this.#pauser?.close();
  }

  /** Unregisters the metrics and closes a guard created here. */
  close(): void {
    this.#pauser?.close();
    this.#metrics?.unregister();
    if (this.#ownsGuard) this.#guard?.close();
  }
}
