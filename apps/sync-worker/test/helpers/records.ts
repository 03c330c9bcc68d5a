// Record fixtures in the legacy shape and a seeder for relays (fake relay store or HTTP /put).
import { buildRecordSoul, registryIndexSoul } from '@oip/records';

export const PUBLIC_KEY = 'test-publisher-public-key';

export function soulOf(localId: string): string {
  return buildRecordSoul({ publisherPublicKey: PUBLIC_KEY, localId });
}

export function validRecord(
  localId: string,
  extra: Record<string, unknown> = {},
): { data: Record<string, unknown>; oip: Record<string, unknown>; meta: Record<string, unknown> } {
  return {
    data: {
      basic: {
        name: `Workout ${localId}`,
        description: 'push day',
        date: 1730505600,
        language: 'en',
        tagItems: ['strength'],
      },
      workout: { total_duration_minutes: 45, exercise: ['did:gun:647f79c2a338:bench-press'] },
      ...extra,
    },
    oip: {
      ver: '0.8.0',
      recordType: 'workout',
      creator: { creatorHandle: 'devon', didAddress: 'did:arweave:abc', publicKey: PUBLIC_KEY },
    },
    meta: { created: 1730505600000, localId, encrypted: false },
  };
}

/** `basic.date` is fixed as `long` by the legacy mapping: a fractional value is a mapping conflict. */
export function conflictingRecord(localId: string) {
  const r = validRecord(localId);
  (r.data.basic as Record<string, unknown>).date = 1730505600.5;
  return r;
}

/** oip.ver 0.7 is not a synced record. */
export function invalidRecord(localId: string) {
  const r = validRecord(localId);
  r.oip.ver = '0.7.2';
  return r;
}

export interface SeedTarget {
  put(soul: string, data: Record<string, unknown>): Promise<void> | void;
}

/** Puts the records, then registers them in the type's registry index (chunked). */
export async function seed(
  target: SeedTarget,
  records: Array<{ localId: string; record: ReturnType<typeof validRecord>; timestamp?: number }>,
  recordType = 'workout',
): Promise<string[]> {
  const souls: string[] = [];
  const index: Record<string, unknown> = {};
  for (const { localId, record, timestamp } of records) {
    const soul = soulOf(localId);
    souls.push(soul);
    await target.put(soul, record);
    index[soul] = { soul, nodeId: 'aaaaaaaaaaaaaaaa', timestamp: timestamp ?? 1730505600000 };
  }
  const keys = Object.keys(index);
  for (let i = 0; i < keys.length; i += 250) {
    const part = Object.fromEntries(keys.slice(i, i + 250).map((k) => [k, index[k]]));
    await target.put(registryIndexSoul(recordType), part);
  }
  return souls;
}
