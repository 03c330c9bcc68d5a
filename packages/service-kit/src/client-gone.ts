// Streaming and waiting routes stop work for a client that went away.
import type { FastifyReply } from 'fastify';

/** An AbortSignal that fires when the client goes away before the reply is sent; call done() after. */
export function clientGone(reply: FastifyReply): { signal: AbortSignal; done(): void } {
  const ac = new AbortController();
  const onClose = (): void => {
    if (!reply.raw.writableFinished) ac.abort();
  };
  reply.raw.once('close', onClose);
  return { signal: ac.signal, done: () => reply.raw.off('close', onClose) };
}
