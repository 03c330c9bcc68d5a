// The legacy relay API: POST /put, GET /get, GET /list (paths, status codes and bodies of the
// legacy gun-relay-server).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  InvalidSoulError,
  NotFoundError,
  PublisherRequiredError,
  PutBodyError,
  PutFailedError,
  PutTimeoutError,
  ShuttingDownError,
  SoulRequiredError,
  ValidationError,
} from '../errors.js';
import { EncodeError } from '../services/node-codec.js';
import { soulProblem } from '../services/soul-rules.js';

const PutBody = Type.Object({ soul: Type.String({ minLength: 1 }), data: Type.Object({}) });
const GetQuery = Type.Object({ soul: Type.Optional(Type.String()) });
const ListQuery = Type.Object({
  publisherHash: Type.Optional(Type.String()),
  limit: Type.Integer({ minimum: 0, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  recordType: Type.Optional(Type.String({ maxLength: 128 })),
});

export function checkSoul(soul: string): void {
  const problem = soulProblem(soul);
  if (problem) throw new InvalidSoulError(problem);
}

/** Maps a failed GUN write to the route error. */
export function writeError(err: unknown): Error {
  if (err instanceof EncodeError) return new ValidationError(err.message);
  const msg = (err as Error).message;
  if (msg === 'timeout') return new PutTimeoutError('the configured');
  if (msg === 'closed') return new ShuttingDownError();
  return new PutFailedError(msg);
}

/** An AbortSignal that fires when the client goes away before the reply is sent. */
export function clientGone(reply: FastifyReply): { signal: AbortSignal; done(): void } {
  const ac = new AbortController();
  const onClose = (): void => {
    if (!reply.raw.writableFinished) ac.abort();
  };
  reply.raw.once('close', onClose);
  return { signal: ac.signal, done: () => reply.raw.off('close', onClose) };
}

export default async function relayRoutes(app: FastifyInstance, opts: { listMaxLimit: number }): Promise<void> {
  app.post<{ Body: Static<typeof PutBody> }>(
    '/put',
    { schema: { body: PutBody }, config: { legacy: true, write: true, validationError: () => new PutBodyError() } },
    async (req) => {
      const { soul, data } = req.body;
      checkSoul(soul);
      try {
        await app.relay.put(soul, data as Record<string, unknown>);
      } catch (err) {
        throw writeError(err);
      }
      return { success: true, soul };
    },
  );

  app.get<{ Querystring: Static<typeof GetQuery> }>(
    '/get',
    { schema: { querystring: GetQuery }, config: { legacy: true } },
    async (req, reply) => {
      const soul = req.query.soul;
      if (!soul) throw new SoulRequiredError();
      checkSoul(soul);
      const local = app.relay.lookupLocal(soul);
      if (local) return { success: true, data: local };
      // Only a miss waits (for peers), so only a miss watches for the client going away.
      const gone = clientGone(reply);
      try {
        const data = await app.relay.getFromPeers(soul, gone.signal);
        if (!data) throw new NotFoundError();
        return { success: true, data };
      } finally {
        gone.done();
      }
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/list',
    { schema: { querystring: ListQuery }, config: { legacy: true } },
    async (req) => {
      const { publisherHash, recordType } = req.query;
      if (!publisherHash) throw new PublisherRequiredError();
      if (soulProblem(publisherHash)) throw new InvalidSoulError('publisherHash');
      const limit = Math.min(req.query.limit, opts.listMaxLimit);
      return { success: true, records: app.relay.list(publisherHash, recordType || undefined, limit, req.query.offset) };
    },
  );
}
