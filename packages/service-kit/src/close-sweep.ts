// Fastify closes idle keep-alive sockets once, when close() starts. A socket that goes idle later,
// or one a client opened and never used (undici does this around an aborted request), would hold
// server.close() for up to keepAliveTimeout/headersTimeout: sweep idle sockets while closing, and
// cut whatever is left after a grace period.
import type { FastifyInstance } from 'fastify';

/** @param graceMs how long in-flight requests get before their sockets are cut. @defaultValue 2000 */
export function sweepSocketsOnClose(app: FastifyInstance, graceMs = 2000): void {
  app.addHook('preClose', async () => {
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
    sweep.unref();
    cut.unref();
    app.server.once('close', () => {
      clearInterval(sweep);
      clearTimeout(cut);
    });
  });
}
