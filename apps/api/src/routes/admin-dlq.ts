// Dead letters for operators (admin token): list with filters and paging, the view grouped by
// field path (what `oip dlq list --group path` prints), show one, replay one or many (by code,
// record type or field path) after a fix, discard one. The same DeadLetterService `oip dlq` uses, so a replay moves the
// record's sync state exactly as the CLI does. Redis calls are bounded by the sync-status timeout.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { withDeadline } from '@oip/service-kit';
import { DeadLetterCodeSchema } from '@oip/queue-contracts';
import { DeadLetterNotFoundError, DeadLetterStaleError, QueueUnavailableError } from '../errors.js';
import { bearer, errors, requireAuthErrors } from '../schemas/common.js';
import {
  DeadLetterEntrySchema,
  DeadLetterGroups,
  DeadLetterPage,
  ReplayMany,
  ReplayOne,
} from '../schemas/operations.js';

const Filter = {
  code: Type.Optional(DeadLetterCodeSchema),
  recordType: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  /** A dotted field path named by the entries' reasons, e.g. `data.shoppingList.item_amounts`. */
  path: Type.Optional(Type.String({ minLength: 1, maxLength: 512, pattern: '^[^\\s.][^\\s]*$' })),
};
const GroupsQuery = Type.Object({ by: Type.Literal('path', { default: 'path' }) });
const ListQuery = Type.Object({
  ...Filter,
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
});
const ReplayBody = Type.Object(
  { ...Filter, limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) },
  { additionalProperties: false },
);
const DidParams = Type.Object({
  did: Type.String({ minLength: 1, maxLength: 1024, examples: ['did:gun:647f79c2a338:post_1730505600'] }),
});
/** Every route here: an admin token, and Redis answering in time. */
const doc = (summary: string, operationId: string) => ({ summary, operationId, tags: ['admin'], security: bearer });
const common = () => ({
  ...requireAuthErrors(),
  ...errors(400, [503, 'The sync queues in Redis did not answer in time (API_ERR_QUEUE_UNAVAILABLE)']),
});

export default async function adminDlqRoutes(app: FastifyInstance, opts: { timeoutMs: number }): Promise<void> {
  const redis = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await withDeadline(p, opts.timeoutMs, () => new QueueUnavailableError(opts.timeoutMs));
    } catch (err) {
      if ((err as { code?: unknown }).code === 'API_ERR_QUEUE_UNAVAILABLE') throw err;
      throw new QueueUnavailableError(opts.timeoutMs, { cause: err });
    }
  };
  const dlq = app.deadLetters;
  app.addHook('onRequest', app.requireAdmin);

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/admin/dlq',
    {
      schema: {
        ...doc('List dead letters', 'listDeadLetters'),
        description: 'Filtered by code, record type or field path; newest first.',
        querystring: ListQuery,
        response: { 200: { ...DeadLetterPage, description: 'A page of dead letters' }, ...common() },
      },
    },
    async (req) => {
      const { offset, limit, ...filter } = req.query;
      // One entry past the page says whether another page follows.
      const [total, page] = await redis(Promise.all([dlq.count(), dlq.list({ ...filter, offset, limit: limit + 1 })]));
      return { total, offset, limit, hasMore: page.length > limit, entries: page.slice(0, limit) };
    },
  );

  // One group per field path: count, degraded count, record types, codes, fixed vs incoming
  // types, samples or rules, first/last seen. A static route: it wins over /:did.
  app.get<{ Querystring: Static<typeof GroupsQuery> }>(
    '/api/admin/dlq/groups',
    {
      schema: {
        ...doc('Dead letters grouped by field path', 'getDeadLetterGroups'),
        querystring: GroupsQuery,
        response: { 200: { ...DeadLetterGroups, description: 'The groups, largest first' }, ...common() },
      },
    },
    async () => {
      const [total, groups] = await redis(Promise.all([dlq.count(), dlq.groups()]));
      return { total, ...groups };
    },
  );

  app.get<{ Params: Static<typeof DidParams> }>(
    '/api/admin/dlq/:did',
    {
      schema: {
        ...doc('One dead letter', 'getDeadLetter'),
        params: DidParams,
        response: {
          200: { ...DeadLetterEntrySchema, description: 'The dead letter' },
          ...common(),
          ...errors([404, 'No dead letter for that DID (API_ERR_DEAD_LETTER_NOT_FOUND)']),
        },
      },
    },
    async (req) => {
      const entry = await redis(dlq.show(req.params.did));
      if (!entry) throw new DeadLetterNotFoundError(req.params.did);
      return entry;
    },
  );

  app.post<{ Params: Static<typeof DidParams> }>(
    '/api/admin/dlq/:did/replay',
    {
      schema: {
        ...doc('Replay one dead letter', 'replayDeadLetter'),
        description: 'Queues the record again; its sync state moves as `oip dlq replay` moves it.',
        params: DidParams,
        response: {
          200: { ...ReplayOne, description: 'Queued again' },
          ...common(),
          ...errors(
            [404, 'No dead letter for that DID (API_ERR_DEAD_LETTER_NOT_FOUND)'],
            [409, 'The record moved on since; the entry was removed (API_ERR_DEAD_LETTER_STALE)'],
          ),
        },
      },
    },
    async (req) => {
      const r = await redis(dlq.replay(req.params.did));
      if (r.replayed) return r;
      if (r.reason === 'not_found') throw new DeadLetterNotFoundError(req.params.did);
      throw new DeadLetterStaleError(req.params.did);
    },
  );

  app.post<{ Body: Static<typeof ReplayBody> }>(
    '/api/admin/dlq/replay',
    {
      schema: {
        ...doc('Replay dead letters by filter', 'replayDeadLetters'),
        description: 'At most `limit` entries matching code, recordType and path.',
        body: { ...ReplayBody, examples: [{ code: 'SYNC_ERR_MAPPING_CONFLICT', limit: 100 }] },
        response: { 200: { ...ReplayMany, description: 'What was replayed' }, ...common() },
      },
    },
    async (req) => {
      const results = await redis(dlq.replayMany(req.body));
      return {
        replayed: results.filter((r) => r.replayed).length,
        stale: results.filter((r) => !r.replayed).length,
        results,
      };
    },
  );

  app.delete<{ Params: Static<typeof DidParams> }>(
    '/api/admin/dlq/:did',
    {
      schema: {
        ...doc('Discard one dead letter', 'discardDeadLetter'),
        params: DidParams,
        response: {
          204: { type: 'null', description: 'Discarded' },
          ...common(),
          ...errors([404, 'No dead letter for that DID (API_ERR_DEAD_LETTER_NOT_FOUND)']),
        },
      },
    },
    async (req, reply) => {
      if (!(await redis(dlq.discard(req.params.did)))) throw new DeadLetterNotFoundError(req.params.did);
      return reply.code(204).send();
    },
  );
}
