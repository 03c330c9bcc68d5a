// The BullMQ dashboard (bull-board) at /admin/queues: the sync records, discovery and
// dead-letter queues of the sync-worker, behind the admin token (401 without one, 403 for a
// non-admin). Read-only: replays go through /api/admin/dlq (or `oip dlq`), which keep the
// records' sync state right; a retry from the board would bypass it.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { SYNC_DEAD_LETTER_QUEUE, SYNC_DISCOVERY_QUEUE, SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';

export const BOARD_PATH = '/admin/queues';

const QUEUES = [
  { name: SYNC_RECORDS_QUEUE, description: 'One job per discovered record: fetch, validate, index.' },
  { name: SYNC_DISCOVERY_QUEUE, description: 'Discovery passes over the registry indexes of the peers.' },
  {
    name: SYNC_DEAD_LETTER_QUEUE,
    description: 'Records that failed for good; replay them with /api/admin/dlq or `oip dlq replay`.',
  },
];

export default async function bullBoardPlugin(app: FastifyInstance, opts: { queuePrefix: string }): Promise<void> {
  const connection = app.syncRedis as never;
  const queues = QUEUES.map((q) => {
    const queue = new Queue(q.name, { connection, prefix: opts.queuePrefix });
    // Redis errors surface in the board's answers; the listener keeps them from being unhandled.
    queue.on('error', () => {});
    return { queue, description: q.description };
  });
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map(({ queue, description }) => new BullMQAdapter(queue, { readOnlyMode: true, description })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'OIP node queues' } },
  });
  app.addHook('onRequest', app.requireAdmin);
  app.addHook('onClose', async () => {
    await Promise.allSettled(queues.map(({ queue }) => queue.close()));
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
}
