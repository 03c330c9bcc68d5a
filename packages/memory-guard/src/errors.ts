/** Stable codes callers branch on (`err.code`), never on `instanceof`. */
export type MemoryGuardErrorCode = 'MEMGUARD_INVALID_OPTIONS' | 'MEMGUARD_CLOSED' | 'MEMGUARD_METRICS_REGISTERED';

/** Base error of @oip/memory-guard; every failure carries a `MEMGUARD_` code. */
export class MemoryGuardError extends Error {
  readonly code: MemoryGuardErrorCode;

  constructor(code: MemoryGuardErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MemoryGuardError';
    this.code = code;
  }
}

/** Options failed validation (bad interval, window, capacity or threshold). */
export class InvalidOptionsError extends MemoryGuardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MEMGUARD_INVALID_OPTIONS', message, options);
    this.name = 'InvalidOptionsError';
  }
}

/** The guard was used after `close()`. */
export class GuardClosedError extends MemoryGuardError {
  constructor(options?: { cause?: unknown }) {
    super('MEMGUARD_CLOSED', 'memory guard is closed', options);
    this.name = 'GuardClosedError';
  }
}

/** The metric names are already on this registry (registered twice). */
export class MetricsRegisteredError extends MemoryGuardError {
  constructor(name: string, options?: { cause?: unknown }) {
    super('MEMGUARD_METRICS_REGISTERED', `metric "${name}" is already registered on this registry`, options);
    this.name = 'MetricsRegisteredError';
  }
}
