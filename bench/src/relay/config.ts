// The only file of the relay benchmarks that reads process.env: what a child process inherits.

/** The environment a benchmark child starts from: PATH only, so nothing else leaks into it. */
export function baseChildEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '' };
}
