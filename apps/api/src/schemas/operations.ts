// Response schemas of the operator routes: dead letters (routes/admin-dlq.ts), health, sync state
// and the force-sync request (routes/health*.ts).
import { Type } from '@sinclair/typebox';
import { DeadLetterPayloadSchema } from '@oip/queue-contracts';
import { Nullable, OpenObject } from './common.js';

/**
 * A dead letter as the DeadLetterService shows it: the sync-worker's payload, its id and when it
 * was written. Entries written by older workers may lack fields and carry other codes, so the
 * answer does not require them (a serializer that did would fail the whole list).
 */
export const DeadLetterEntrySchema = Type.Object(
  {
    ...Type.Partial(DeadLetterPayloadSchema).properties,
    code: Type.Optional(Type.String({ description: 'The dead-letter code (SYNC_…)' })),
    reasons: Type.Optional(
      Type.Array(OpenObject('A conflicting field (path, fixed and incoming types) or a broken schema rule')),
    ),
    id: Type.String({ description: 'Dead-letter job id (dl_<didKey>)' }),
    deadLetteredAt: Type.Integer({ description: 'Epoch ms' }),
  },
  { additionalProperties: true },
);

export const DeadLetterPage = Type.Object({
  total: Type.Integer({ description: 'Entries in the queue (whatever the filter)' }),
  offset: Type.Integer(),
  limit: Type.Integer(),
  hasMore: Type.Boolean(),
  entries: Type.Array(DeadLetterEntrySchema),
});

const DeadLetterGroup = Type.Object({
  path: Nullable(Type.String()),
  kind: Nullable(Type.Union([Type.Literal('mapping_conflict'), Type.Literal('invalid')])),
  count: Type.Integer(),
  degraded: Type.Integer(),
  recordTypes: Type.Record(Type.String(), Type.Integer()),
  codes: Type.Record(Type.String(), Type.Integer()),
  fixedTypes: Type.Array(Type.String()),
  incomingTypes: Type.Array(Type.String()),
  rules: Type.Array(Type.String()),
  samples: Type.Array(Type.String()),
  firstSeen: Type.Integer({ description: 'Epoch ms' }),
  lastSeen: Type.Integer({ description: 'Epoch ms' }),
});

export const DeadLetterGroups = Type.Object({
  total: Type.Integer(),
  by: Type.Literal('path'),
  scanned: Type.Integer(),
  truncated: Type.Boolean({ description: 'The groups cover the newest entries only' }),
  groups: Type.Array(DeadLetterGroup),
});

const Replayed = Type.Object({
  did: Type.String(),
  replayed: Type.Literal(true),
  jobId: Type.String(),
  replay: Type.Integer({ description: 'The replay number' }),
});
const NotReplayed = Type.Object({
  did: Type.String(),
  replayed: Type.Literal(false),
  reason: Type.Union([Type.Literal('not_found'), Type.Literal('not_dead')]),
});

export const ReplayOne = Replayed;
export const ReplayMany = Type.Object({
  replayed: Type.Integer(),
  stale: Type.Integer({ description: 'Entries whose record moved on (removed)' }),
  results: Type.Array(Type.Union([Replayed, NotReplayed])),
});

export const HealthAnswer = Type.Object(
  {
    status: Type.Union([Type.Literal('OK'), Type.Literal('DEGRADED')]),
    timestamp: Type.String(),
    uptimeSeconds: Type.Integer(),
    store: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
    redis: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('connecting')]),
  },
  {
    examples: [{ status: 'OK', timestamp: '2026-12-07T21:00:00.000Z', uptimeSeconds: 3600, store: 'ok', redis: 'up' }],
  },
);

export const GunSyncHealth = Type.Object({
  service: Type.Literal('gun-sync'),
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  running: Type.Boolean(),
  workers: Type.Integer(),
  metrics: Type.Object({
    totalDiscovered: Type.Integer(),
    totalSynced: Type.Integer(),
    totalErrors: Type.Integer(),
    successRate: Type.String({ examples: ['99.5%'] }),
    lastSyncTime: Nullable(Type.String()),
    lastSyncAgo: Type.String({ examples: ['12s ago'] }),
    averageSyncTime: Nullable(Type.String()),
    syncCycles: Type.Integer(),
  }),
  deadLetters: Type.Integer(),
  invariantOk: Type.Boolean(),
  counters: OpenObject("The sync state's counters (discovered, indexed, gone, dead, …)"),
  lastDiscovery: Nullable(OpenObject('The last discovery pass')),
});

export const GunCacheStats = Type.Object(
  {
    relay: Type.String({ description: "The relay's base URL" }),
    requests: Type.Integer(),
    responses2xx: Type.Integer(),
    responses4xx: Type.Integer(),
    responses5xx: Type.Integer(),
    notFound: Type.Integer(),
    failures: Type.Record(Type.String(), Type.Integer()),
    retries: Type.Integer(),
    coalesced: Type.Integer(),
    inFlight: Type.Integer(),
    bytesIn: Type.Integer(),
    bytesOut: Type.Integer(),
    openSockets: Nullable(Type.Integer()),
    negativeCache: Nullable(OpenObject()),
  },
  { additionalProperties: true },
);

export const ForceSyncAnswer = Type.Object({
  message: Type.String(),
  triggered: Type.Boolean(),
  jobId: Type.Optional(Type.String({ description: 'When triggered' })),
  nextPassAt: Type.Optional(Nullable(Type.String({ description: 'When refused for the interval' }))),
  retryAfterSeconds: Type.Optional(Type.Integer()),
  timestamp: Type.String(),
  nextForceAt: Nullable(Type.String()),
  nextScheduledPassAt: Nullable(Type.String()),
});
