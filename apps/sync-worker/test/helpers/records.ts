// Variants of the legacy-shape record fixture (@oip/test-kit's legacyRecord) and a seeder for
// relays (fake relay store or HTTP /put).
import { buildRecordSoul, registryIndexSoul } from '@oip/records';
import { legacyRecord, TEST_PUBLIC_KEY, type LegacyRecord } from '@oip/test-kit';

export function soulOf(localId: string): string {
  return buildRecordSoul({ publisherPublicKey: TEST_PUBLIC_KEY, localId });
}

/** `basic.date` is fixed as `long` by the legacy mapping: a fractional value is a mapping conflict. */
export function conflictingRecord(localId: string) {
  const r = legacyRecord(localId);
  (r.data.basic as Record<string, unknown>).date = 1730505600.5;
  return r;
}

/** oip.ver 0.7 is not a synced record. */
export function invalidRecord(localId: string) {
  const r = legacyRecord(localId);
  r.oip.ver = '0.7.2';
  return r;
}

export interface SeedTarget {
  put(soul: string, data: Record<string, unknown>): Promise<void> | void;
}

/** Puts the records, then registers them in the type's registry index (chunked). */
export async function seed(
  target: SeedTarget,
  records: Array<{ localId: string; record: LegacyRecord; timestamp?: number }>,
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
