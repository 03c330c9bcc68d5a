import { describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import {
  SyncRecordPayloadSchema,
  DeadLetterPayloadSchema,
  DeadLetterCodes,
  capRecordJson,
  boundReason,
  DEAD_LETTER_SAMPLE_MAX_CHARS,
  cappedExponentialBackoff,
  syncRecordJobId,
  deadLetterJobId,
  syncRecordJobOptions,
  validatePayload,
  SYNC_RECORDS_QUEUE,
  CAPPED_EXPONENTIAL,
} from '../src/index.js';

const did = 'did:gun:647f79c2a338:workout-2024-11-02';
const payload = {
  did,
  soul: '647f79c2a338:workout-2024-11-02',
  recordType: 'workout',
  version: '1730505600000',
  relay: 'http://127.0.0.1:8765',
  discoveredAt: 1,
};

describe('job ids', () => {
  it('are deterministic, colon-free and change with version and replay', () => {
    expect(syncRecordJobId(did, '1')).toBe(syncRecordJobId(did, '1'));
    expect(syncRecordJobId(did, '1')).not.toContain(':');
    expect(syncRecordJobId(did, '1')).not.toBe(syncRecordJobId(did, '2'));
    expect(syncRecordJobId(did, '1', 1)).not.toBe(syncRecordJobId(did, '1'));
    expect(deadLetterJobId(did)).not.toBe(deadLetterJobId(did + 'x'));
  });

  it('are accepted by BullMQ and a second add returns the job already queued', async () => {
    const q = new Queue(SYNC_RECORDS_QUEUE, {
      connection: { host: '127.0.0.1', port: 6379 },
      prefix: `t-qc-${randomUUID()}`,
    });
    try {
      const id = syncRecordJobId(did, '5');
      const a = await q.add('sync-record', payload, { ...syncRecordJobOptions(), jobId: id });
      const b = await q.add('sync-record', { ...payload, discoveredAt: 2 }, { ...syncRecordJobOptions(), jobId: id });
      expect(a.id).toBe(id);
      expect(b.id).toBe(id);
      expect(await q.getWaitingCount()).toBe(1);
    } finally {
      await q.obliterate({ force: true });
      await q.close();
    }
  });
});

describe('payload schemas', () => {
  it('accept a valid sync payload and reject a non-gun DID or a version with a colon', () => {
    expect(validatePayload(SyncRecordPayloadSchema, payload).did).toBe(did);
    expect(() => validatePayload(SyncRecordPayloadSchema, { ...payload, did: 'did:arweave:x' })).toThrow(/\/did/);
    expect(() => validatePayload(SyncRecordPayloadSchema, { ...payload, version: 'a:b' })).toThrow(/\/version/);
    expect(() => validatePayload(SyncRecordPayloadSchema, { ...payload, extra: 1 })).toThrow();
  });

  it('dead letter needs a known code and a capped record copy', () => {
    const big = { data: { basic: { name: 'x'.repeat(50_000) } } };
    const capped = capRecordJson(big);
    expect(capped.recordTruncated).toBe(true);
    const dl = {
      did,
      soul: payload.soul,
      recordType: 'workout',
      version: '1',
      sourceRelay: payload.relay,
      code: DeadLetterCodes.MAPPING_CONFLICT,
      message: 'm',
      attempts: 1,
      firstFailedAt: 1,
      lastFailedAt: 1,
      ...capped,
      replays: 0,
    };
    expect(validatePayload(DeadLetterPayloadSchema, dl).code).toBe('SYNC_ERR_MAPPING_CONFLICT');
    expect(() => validatePayload(DeadLetterPayloadSchema, { ...dl, code: 'NOPE' })).toThrow();
    expect(capRecordJson(null)).toEqual({ recordJson: null, recordTruncated: false });
  });

  it('dead letter reasons are structured and bounded: mapping conflicts and invalid rules, nothing else', () => {
    const dl = {
      did,
      soul: payload.soul,
      recordType: 'shoppingList',
      version: '1',
      sourceRelay: payload.relay,
      code: DeadLetterCodes.MAPPING_CONFLICT,
      message: 'm',
      attempts: 1,
      firstFailedAt: 1,
      lastFailedAt: 1,
      recordJson: null,
      recordTruncated: false,
      replays: 0,
      degraded: true,
      reasons: [
        {
          kind: 'mapping_conflict',
          path: 'data.shoppingList.item_prices',
          fixedType: 'long',
          incomingType: 'float',
          sample: '[1.5,0.25]',
        },
        { kind: 'invalid', path: 'oip.ver', rule: 'Expected string to match pattern' },
      ],
    };
    expect(validatePayload(DeadLetterPayloadSchema, dl).reasons).toHaveLength(2);
    const long = {
      kind: 'mapping_conflict' as const,
      path: 'data.a',
      fixedType: 'text',
      incomingType: 'object',
      sample: 'x'.repeat(5000),
    };
    expect(() => validatePayload(DeadLetterPayloadSchema, { ...dl, reasons: [long] })).toThrow(/reasons\/0/);
    const bounded = boundReason(long);
    expect(bounded.kind === 'mapping_conflict' && bounded.sample.length).toBe(DEAD_LETTER_SAMPLE_MAX_CHARS);
    expect(validatePayload(DeadLetterPayloadSchema, { ...dl, reasons: [bounded] }).reasons).toHaveLength(1);
    expect(() =>
      validatePayload(DeadLetterPayloadSchema, { ...dl, reasons: [{ kind: 'other', path: 'x' }] }),
    ).toThrow();
    expect(() =>
      validatePayload(DeadLetterPayloadSchema, { ...dl, reasons: Array.from({ length: 17 }, () => bounded) }),
    ).toThrow();
  });
});

describe('capped exponential backoff', () => {
  it('doubles from the job delay and never exceeds the cap', () => {
    const fn = cappedExponentialBackoff(5000, 0);
    const job = { opts: { backoff: { type: CAPPED_EXPONENTIAL, delay: 1000 } } };
    expect([1, 2, 3, 4, 10].map((n) => fn(n, CAPPED_EXPONENTIAL, undefined, job))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
    const jittered = cappedExponentialBackoff(5000, 0.5)(10, CAPPED_EXPONENTIAL, undefined, job);
    expect(jittered).toBeGreaterThanOrEqual(2500);
    expect(jittered).toBeLessThanOrEqual(5000);
  });
});
