import type { MemoryGuard, StatusChange } from './memory-guard.js';
import type { GuardStatus } from './status.js';

export interface PauseControllerOptions {
  guard: MemoryGuard;
  /** Stop taking new jobs (e.g. `() => worker.pause(true)`: in-flight jobs finish). */
  pause: () => void | Promise<void>;
  /** Take jobs again (e.g. `() => worker.resume()`). */
  resume: () => void | Promise<void>;
  /** Status at or above which to pause. @defaultValue 'critical' */
  pauseAt?: Exclude<GuardStatus, 'ok'>;
  /**
   * Status at or below which to resume. The gap to `pauseAt` is hysteresis, so a process
   * hovering at the threshold does not flap.
   * @defaultValue 'ok'
   */
  resumeAt?: Exclude<GuardStatus, 'critical'>;
  /** Called after each pause/resume, with the status change that caused it. */
  onChange?: (paused: boolean, change: StatusChange | null) => void;
  /** Called when `pause` or `resume` throws or rejects (the controller keeps running). */
  onError?: (error: unknown) => void;
}

export interface PauseController {
  readonly paused: boolean;
  /** Resolves when the pause/resume calls queued so far have finished. */
  settled(): Promise<void>;
  /** Stops listening. Does not resume: the caller decides (usually it is closing the worker). */
  close(): void;
}

const RANK: Record<GuardStatus, number> = { ok: 0, warn: 1, critical: 2 };

/**
 * Pauses a job consumer while the guard is critical and resumes it once back to ok. Framework
 * free (no BullMQ import): the worker passes its own pause/resume callbacks.
 */
export function createPauseController(options: PauseControllerOptions): PauseController {
  const pauseAt = RANK[options.pauseAt ?? 'critical'];
  const resumeAt = RANK[options.resumeAt ?? 'ok'];
  let paused = false;
  let closed = false;
  // Calls are chained so a resume never overtakes a pause still in progress.
  let chain: Promise<void> = Promise.resolve();

  const apply = (next: boolean, change: StatusChange | null) => {
    if (next === paused) return;
    paused = next;
    const fn = next ? options.pause : options.resume;
    chain = chain
      .then(() => fn())
      .then(
        () => options.onChange?.(next, change),
        (error: unknown) => options.onError?.(error),
      );
  };

  const onStatus = (change: StatusChange) => {
    if (closed) return;
    const rank = RANK[change.status];
    if (!paused && rank >= pauseAt) apply(true, change);
    else if (paused && rank <= resumeAt) apply(false, change);
  };

  options.guard.on('status', onStatus);
  if (RANK[options.guard.status()] >= pauseAt) apply(true, null);

  return {
    get paused() {
      return paused;
    },
    settled: () => chain,
    close() {
      closed = true;
      options.guard.off('status', onStatus);
    },
  };
}
