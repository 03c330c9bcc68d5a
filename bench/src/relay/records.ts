// ~2 KB OIP records spread over publishers, as the legacy relay measurement used.

export const publisherOf = (i: number, publishers: number): string => (i % publishers).toString(16).padStart(12, '0');
export const soulOf = (i: number, publishers: number): string => `${publisherOf(i, publishers)}:rec-${i}`;

const TYPES = ['post', 'workout', 'recipe', 'image', 'exercise'];

/** A record whose JSON is about 2 KB. */
export function recordOf(i: number, publishers: number): Record<string, unknown> {
  const soul = soulOf(i, publishers);
  const recordType = TYPES[i % TYPES.length]!;
  return {
    data: {
      basic: {
        name: `Record ${i}`,
        description: `Benchmark record ${i}. `.repeat(60).slice(0, 1400),
        date: 1730505600 + i,
        language: 'en',
        tagItems: ['bench', recordType, `t${i % 50}`],
      },
      [recordType]: {
        items: [`did:gun:${soulOf(i + 1, publishers)}`, `did:gun:${soulOf(i + 2, publishers)}`],
        total: i % 100,
      },
    },
    oip: {
      ver: '0.8.0',
      recordType,
      did: `did:gun:${soul}`,
      didTx: `did:gun:${soul}`,
      storage: 'gun',
      indexedAt: '2024-11-02T10:00:00.000Z',
      creator: { creatorHandle: 'bench', didAddress: 'did:arweave:benchcreator', publicKey: `pk-${i % publishers}` },
    },
    meta: { created: 1730505600000 + i, localId: `rec-${i}`, encrypted: false },
  };
}
