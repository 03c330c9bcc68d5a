// A link source that reads a relay over HTTP.
import { type GunNode, stripGunMeta } from '../../src/index.js';

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
