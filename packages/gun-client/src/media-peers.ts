// Which peers hold a media file. The legacy relay keeps one presence soul per peer
// (`media:<id>:peers:<peerId>`) and nothing that lists them, so an announce also adds the peer's
// key to `media:<id>:peers` (GUN merges keys: concurrent announces never drop each other), and a
// reader lists that index, then reads each presence. Bounded: at most `max` peers are read.
import { type GunNode, linkOf, mediaPeersIndexSoul, mediaPresenceSoul, parseMaybeJson } from '@oip/records';
import type { CallOptions, PresenceInput } from './client.js';

/** The calls these helpers need (a GunClient). */
export interface MediaPeersClient {
  getSoul(soul: string, opts?: CallOptions): Promise<GunNode | null>;
  putSoul(soul: string, data: Record<string, unknown>, opts?: CallOptions): Promise<{ soul: string }>;
  putMediaPresence(input: PresenceInput, opts?: CallOptions): Promise<Record<string, unknown>>;
}

export interface MediaPeer {
  peerId: string;
  /** As announced: e.g. `{ http: 'http://host:3006' }`. Untrusted: check hosts before use. */
  endpoints: Record<string, unknown>;
  /** Epoch ms of the last announce, when known. */
  lastSeen: number | null;
}

/** Writes our presence (legacy soul) and our key in the media's peer index. */
export async function announceMedia(
  client: MediaPeersClient,
  input: PresenceInput,
  opts: CallOptions = {},
): Promise<void> {
  await client.putMediaPresence(input, opts);
  await client.putSoul(mediaPeersIndexSoul(input.mediaId), { [input.peerId]: Date.now() }, opts);
}

async function objectAt(
  client: MediaPeersClient,
  value: unknown,
  opts: CallOptions,
): Promise<Record<string, unknown> | null> {
  // A legacy relay answers nested objects as links to child souls; some writers keep them as JSON text.
  const link = linkOf(value);
  const v = link ? await client.getSoul(link, opts) : parseMaybeJson(value);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** Announced peers of a media file, most recently seen first, at most `max` (default 16). */
export async function readMediaPeers(
  client: MediaPeersClient,
  mediaId: string,
  opts: CallOptions & { max?: number } = {},
): Promise<MediaPeer[]> {
  const { max = 16, ...call } = opts;
  const index = await client.getSoul(mediaPeersIndexSoul(mediaId), call);
  if (!index) return [];
  const ids = Object.entries(index)
    .filter(([k]) => k !== '_' && k !== '#' && k.length > 0 && k.length <= 128)
    .sort((a, b) => Number(b[1]) - Number(a[1]))
    .slice(0, max)
    .map(([k]) => k);
  const out: MediaPeer[] = [];
  for (const peerId of ids) {
    const presence = await client.getSoul(mediaPresenceSoul(mediaId, peerId), call);
    if (!presence) continue;
    const endpoints = (await objectAt(client, presence['endpoints'], call)) ?? {};
    const lastSeen = typeof presence['lastSeen'] === 'number' ? presence['lastSeen'] : null;
    out.push({ peerId, endpoints, lastSeen });
  }
  return out;
}
