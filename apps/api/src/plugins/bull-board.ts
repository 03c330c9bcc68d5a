// The BullMQ dashboard (bull-board) at /admin/queues: the sync records, discovery and
// dead-letter queues of the sync-worker, for admins only: a bearer token, or in a browser the
// session cookie of /admin/login (app.requireBoardAdmin: a browser without one is sent to the
// login page, other clients get 401; a non-admin 403). Read-only: replays go through
// /api/admin/dlq (or `oip dlq`), which keep the records' sync state right; a retry from the board
// would bypass it. The dead-letter queue has no workers by design: its adapter does not report
// workers, so the board shows no "No workers" warning on it (it does on the other two, where it
// means the sync-worker is not running).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODE_HEADER, serviceErrors } from '@oip/service-kit/fastify';
import { SYNC_DEAD_LETTER_QUEUE, SYNC_DISCOVERY_QUEUE, SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import { BOARD_PATH, LOGOUT_PATH } from '../services/board-session.js';

/** A queue nothing consumes by design: the board asks no workers of it (null: "not reported"). */
class UnconsumedQueueAdapter extends BullMQAdapter {
  override async getWorkers(): Promise<null> {
    return null;
  }
}

const internalError = serviceErrors('API').internal;

/**
 * The board's admin check. bull-board's routes answer errors with their own handler and body, so
 * a refusal is answered here, in the api's house body with its code; anything else as the api's 500.
 */
async function boardGuard(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  try {
    return await app.requireBoardAdmin(req, reply);
  } catch (raw) {
    const err = raw as FastifyError;
    const refusal = typeof err.code === 'string' && err.code.startsWith('API_') && (err.statusCode ?? 500) < 500;
    if (!refusal) req.log.error({ err }, 'board admin check failed');
    const shown = refusal ? err : internalError();
    return reply
      .code(shown.statusCode ?? 500)
      .header(ERROR_CODE_HEADER, shown.code)
      .send({ error: { code: shown.code, message: shown.message }, requestId: req.id });
  }
}

const QUEUES = [
  { name: SYNC_RECORDS_QUEUE, consumed: true, description: 'One job per discovered record: fetch, validate, index.' },
  {
    name: SYNC_DISCOVERY_QUEUE,
    consumed: true,
    description: 'Discovery passes over the registry indexes of the peers.',
  },
  {
    name: SYNC_DEAD_LETTER_QUEUE,
    consumed: false,
    description:
      'Records that failed for good (kept here, never processed); replay them with /api/admin/dlq or `oip dlq replay`.',
  },
];

export default async function bullBoardPlugin(app: FastifyInstance, opts: { queuePrefix: string }): Promise<void> {
  const connection = app.syncRedis as never;
  const queues = QUEUES.map((q) => {
    const queue = new Queue(q.name, { connection, prefix: opts.queuePrefix });
    // Redis errors surface in the board's answers; the listener keeps them from being unhandled.
    queue.on('error', () => {});
    return { queue, consumed: q.consumed, description: q.description };
  });
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map(({ queue, consumed, description }) =>
      consumed
        ? new BullMQAdapter(queue, { readOnlyMode: true, description })
        : new UnconsumedQueueAdapter(queue, { readOnlyMode: true, description }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'OIP node queues', miscLinks: [{ text: 'Log out', url: LOGOUT_PATH }] } },
  });
  app.addHook('onRequest', (req, reply) => boardGuard(app, req, reply));
  app.addHook('onClose', async () => {
    await Promise.allSettled(queues.map(({ queue }) => queue.close()));
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
}
