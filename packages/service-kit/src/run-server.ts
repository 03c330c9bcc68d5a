// The entry file of an HTTP service: runMain with "build the app, listen on config.port/host".
import type { FastifyInstance } from 'fastify';
import { runMain, type RunMainOptions } from './run-main.js';

export interface RunServerOptions<C extends { port: number; host: string }> extends Omit<
  RunMainOptions<C, FastifyInstance>,
  'start'
> {
  buildApp(config: C): FastifyInstance;
  /** The variable that sets config.port, named when the port is in use. @defaultValue 'PORT' */
  portVariable?: string;
}

/** Loads config, builds the app, listens; closes gracefully on SIGTERM/SIGINT (see runMain). */
export function runServer<C extends { port: number; host: string }>(
  opts: RunServerOptions<C>,
): Promise<FastifyInstance | undefined> {
  const { buildApp, portVariable = 'PORT', ...rest } = opts;
  return runMain<C, FastifyInstance>({
    ports: (config) => ({ [portVariable]: config.port }),
    ...rest,
    // Opening and listening take no time worth aborting: a stop while starting closes the app after.
    start: async (config) => {
      const app = buildApp(config);
      try {
        await app.listen({ port: config.port, host: config.host });
      } catch (err) {
        // What the app opened (stores, connections) is closed before the process exits.
        await app.close().catch(() => {});
        throw err;
      }
      return app;
    },
  });
}
