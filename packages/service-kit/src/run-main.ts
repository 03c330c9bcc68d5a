// The entry file of every service: read the .env files, load config (an invalid one stops the
// process with one line naming the variable), start, and close gracefully on SIGTERM/SIGINT or a
// fatal error. Every way it stops is one line: a port in use names the variable to change, a start
// failure with an error code is its code and message, a close is "closing" then "closed".
import closeWithGrace from 'close-with-grace';
import { existsSync } from 'node:fs';
import { CONFIG_ERROR_CODE } from './config-error.js';

export interface Closable {
  close(): Promise<void>;
}

/** Exit code when a port the service listens on is taken (as for an invalid configuration). */
export const PORT_IN_USE_EXIT_CODE = 2;

export interface RunMainOptions<C, S extends Closable> {
  /** Service name, the first word of every line printed here. */
  name: string;
  /**
   * `.env` files read into the environment before the config is loaded, first listed first; a
   * missing one is skipped. A variable already set (the real environment, or an earlier file)
   * is never overwritten. @defaultValue []
   */
  envFiles?: readonly string[];
  loadConfig(): C;
  /**
   * Starts the service. `signal` aborts when a stop is asked for while it is still starting (a
   * start waiting on a dependency can give up at once, closing what it opened, and reject).
   */
  start(config: C, signal: AbortSignal): Promise<S>;
  /**
   * The ports this service listens on, by the variable that sets each: a port found in use is
   * reported as `<VARIABLE> <port> is in use: set <VARIABLE> to a free port`. @defaultValue {}
   */
  ports?: (config: C) => Readonly<Record<string, number>>;
  /** How long close() may take before the process exits anyway. @defaultValue 10000 */
  closeDelayMs?: (config: C) => number;
  /** Exit code for an invalid configuration. @defaultValue 1 */
  configExitCode?: number;
  /** @defaultValue console.error */
  printError?: (line: string) => void;
  /** @defaultValue process.exit */
  exit?: (code: number) => void;
}

/** Reads each existing file of `files` into process.env without overwriting what is set. */
export function loadEnvFiles(files: readonly string[]): void {
  for (const file of files) if (existsSync(file)) process.loadEnvFile(file);
}

/** The one line for a port in use, naming the variable that sets it when one does. */
export function portInUseLine(name: string, port: unknown, ports: Readonly<Record<string, number>>): string {
  const variable = Object.keys(ports).find((v) => ports[v] === port);
  return variable
    ? `${name}: ${variable} ${String(port)} is in use: set ${variable} to a free port`
    : `${name}: port ${String(port)} is in use: stop what holds it or choose another port`;
}

/** The one line for a start failure: its code and message; a bug (no code) keeps its stack. */
export function startFailureLine(name: string, err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; stack?: unknown } | null;
  if (e && typeof e.code === 'string') return `${name}: could not start: ${String(e.message)} (${e.code})`;
  return `${name}: could not start: ${String(e?.stack ?? e)}`;
}

/** Runs a service; resolves once it has started (and returns it), or exits on invalid config or a failed start. */
export async function runMain<C, S extends Closable>(opts: RunMainOptions<C, S>): Promise<S | undefined> {
  const print = opts.printError ?? ((line: string) => console.error(line));
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let config: C;
  try {
    loadEnvFiles(opts.envFiles ?? []);
    config = opts.loadConfig();
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    // A .env line Node cannot read is a configuration error too.
    if (code !== CONFIG_ERROR_CODE && code !== 'ERR_INVALID_ARG_VALUE') throw err;
    print(`${opts.name}: ${(err as Error).message}`);
    exit(opts.configExitCode ?? 1);
    return undefined;
  }
  let service: S;
  // Signals are handled from here on, so a stop asked for while starting still closes what started.
  const stopWhileStarting = new AbortController();
  const starting = opts.start(config, stopWhileStarting.signal);
  const grace = closeWithGrace(
    {
      delay: opts.closeDelayMs?.(config) ?? 10_000,
      logger: { error: (m: unknown) => print(`${opts.name}: ${String(m)}`) },
    },
    async ({ signal, err }) => {
      if (err) print(`${opts.name}: closing after error: ${(err as Error).stack ?? String(err)}`);
      else if (signal) print(`${opts.name}: received ${signal}, closing`);
      stopWhileStarting.abort();
      // A start that gave up has closed what it opened.
      const started = await starting.catch(() => null);
      await started?.close();
      print(`${opts.name}: closed`);
    },
  );
  try {
    service = await starting;
  } catch (err) {
    // A start given up on a stop: the close path above reports and exits.
    if (stopWhileStarting.signal.aborted) return undefined;
    grace.uninstall();
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'EADDRINUSE') {
      print(portInUseLine(opts.name, (err as { port?: unknown }).port, opts.ports?.(config) ?? {}));
      exit(PORT_IN_USE_EXIT_CODE);
    } else {
      print(startFailureLine(opts.name, err));
      exit(1);
    }
    return undefined;
  }
  return service;
}
