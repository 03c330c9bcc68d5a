// Record fixtures in the legacy shape, and a link source that reads a relay over HTTP.
import { type GunNode, stripGunMeta } from '../../src/index.js';

export const PUBLIC_KEY = 'test-publisher-public-key';

/** A valid workout in the legacy record shape (nested creator). */
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

/** `GET <base>/get?soul=`: the node (GUN metadata kept, as a relay sends it), or null on a 404. */
export function httpLinkSource(baseUrl: string): { getSoul(soul: string): Promise<GunNode | null> } {
  return {
    async getSoul(soul) {
      const res = await fetch(`${baseUrl}/get?soul=${encodeURIComponent(soul)}`);
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) throw new Error(`relay /get ${soul}: ${res.status}`);
      const body = (await res.json()) as { data?: GunNode | null };
      return body.data ? stripGunMeta(body.data) : null;
    },
  };
}
