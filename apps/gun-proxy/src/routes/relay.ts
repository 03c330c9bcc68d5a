// The legacy relay API: POST /put, GET /get, GET /list (paths, status codes and bodies of the
// legacy gun-relay-server).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { clientGone } from '@oip/service-kit/fastify';
import {
  InvalidSoulError,
  NotFoundError,
  PublisherRequiredError,
  PutBodyError,
  PutFailedError,
  ReservedNameError,
  SoulNotStringError,
  SoulRequiredError,
} from '../errors.js';
import type { RelayLimits } from '../services/relay-service.js';
import { reservedSoulProblem, soulProblem } from '@oip/records';
import { strictBodyCompiler } from './strict-body.js';

const PutBody = Type.Object({ soul: Type.String({ minLength: 1 }), data: Type.Object({}) });
const GetQuery = Type.Object({
  soul: Type.Optional(Type.String()),
  // The paged extension (docs: paged get): keys in ascending order after `after`, at most `limit`.
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  after: Type.Optional(Type.String({ maxLength: 1024 })),
});
// Upper bounds keep values in SQLite's integer range (offset=1e20 was a 500).
const ListQuery = Type.Object({
  publisherHash: Type.Optional(Type.String()),
  limit: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
  recordType: Type.Optional(Type.String({ maxLength: 128 })),
});

export function checkSoul(soul: string): void {
  const reserved = reservedSoulProblem(soul);
  if (reserved) throw new ReservedNameError(reserved);
  const problem = soulProblem(soul);
  if (problem) throw new InvalidSoulError(problem);
}

/**
 * A failed write answers its own code (the services throw catalogue errors where the fault is
 * born); anything uncoded is a failed write, its text kept in `cause` (logged, never sent).
 */
export function writeError(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('GUNPROXY_')
    ? err
    : new PutFailedError('unexpected error', { cause: err });
}

/** Sends JSON text assembled by the node reader as is (Fastify would stringify a string again). */
function sendJson(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}

export interface RelayRouteOptions {
  listMaxLimit: number;
  limits: RelayLimits;
}

export default async function relayRoutes(app: FastifyInstance, opts: RelayRouteOptions): Promise<void> {
  const { limits } = opts;
  app.post<{ Body: Static<typeof PutBody> }>(
    '/put',
    {
      schema: { body: PutBody },
      validatorCompiler: strictBodyCompiler,
      config: { legacy: true, write: true, validationError: () => new PutBodyError() },
      // A soul that is there but not a string gets its own code (the schema error is the legacy one).
      preValidation: async (req) => {
        const soul = (req.body as { soul?: unknown } | null)?.soul;
        if (soul !== undefined && soul !== null && typeof soul !== 'string') throw new SoulNotStringError();
      },
    },
    async (req) => {
      const { soul, data } = req.body;
      checkSoul(soul);
      try {
        await app.relay.put(soul, data as Record<string, unknown>, limits);
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
      const { soul, limit, after } = req.query;
      if (!soul) throw new SoulRequiredError();
      checkSoul(soul);
      if (limit !== undefined) {
        const gone = clientGone(reply);
        try {
          const page = await app.relay.getPage(soul, limit, after ?? null, gone.signal, limits);
          if (!page) throw new NotFoundError();
          return sendJson(reply, `{"success":true,"data":${page.text},"next":${JSON.stringify(page.next)}}`);
        } finally {
          gone.done();
        }
      }
      const local = await app.relay.lookupLocal(soul, limits);
      if (local) return sendJson(reply, `{"success":true,"data":${local}}`);
      // Only a miss waits (for peers), so only a miss watches for the client going away.
      const gone = clientGone(reply);
      try {
        const data = await app.relay.getFromPeers(soul, gone.signal, limits);
        if (!data) throw new NotFoundError();
        return sendJson(reply, `{"success":true,"data":${data}}`);
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
      return {
        success: true,
        records: await app.relay.list(publisherHash, recordType || undefined, limit, req.query.offset, limits),
      };
    },
  );
}
