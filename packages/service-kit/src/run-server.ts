// The entry file of an HTTP service: runMain with "build the app, listen on config.port/host".
import type { FastifyInstance } from 'fastify';
import { runMain, type RunMainOptions } from './run-main.js';

export interface RunServerOptions<C extends { port: number; host: string }> extends Omit<
  RunMainOptions<C, FastifyInstance>,
  'start'
> {
  buildApp(config: C): FastifyInstance;
}

/** Loads config, builds the app, listens; closes gracefully on SIGTERM/SIGINT (see runMain). */
export function runServer<C extends { port: number; host: string }>(
  opts: RunServerOptions<C>,
): Promise<FastifyInstance | undefined> {
  const { buildApp, ...rest } = opts;
  return runMain<C, FastifyInstance>({
    ...rest,
    start: async (config) => {
      const app = buildApp(config);
      await app.listen({ port: config.port, host: config.host });
      return app;
    },
  });
}
