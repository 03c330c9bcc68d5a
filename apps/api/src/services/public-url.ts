// The api's public base URL, and media URLs moved onto it. apps/media writes the URLs of its files
// (`httpUrl`, `webUrl`) on its own base, an internal port clients cannot reach; the api forwards
// /api/media/* and /media/*, so in what it answers those URLs are the api's own.
/** Field names whose value is a URL of a media file. */
const MEDIA_URL_FIELDS: ReadonlySet<string> = new Set(['httpUrl', 'webUrl']);
/** Paths the api forwards to apps/media (routes/gateway.ts). */
const MEDIA_PATH = /^\/(api\/)?media\//u;
/** How deep rewriteMediaUrls looks into an answer (the upload and info answers are flat). */
const MAX_DEPTH = 4;

/**
 * The base clients reach the api at: API_PUBLIC_URL when set, else the request's own protocol and
 * host (X-Forwarded-Proto / -Host when API_TRUST_PROXY trusts the proxy that sent them).
 */
export function publicBaseOf(req: { protocol: string; host: string }, configured: string | undefined): string {
  if (configured !== undefined) return configured.replace(/\/+$/u, '');
  return `${req.protocol}://${req.host}`;
}

/** The public URL of an uploaded media file. */
export function publicMediaUrl(base: string, mediaId: string): string {
  return `${base}/api/media/${mediaId}`;
}

/** `url` on `base` when it is an absolute URL of a forwarded media path; null otherwise. */
function moved(url: string, base: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!MEDIA_PATH.test(parsed.pathname)) return null;
  return `${base}${parsed.pathname}${parsed.search}`;
}

/**
 * Moves every media URL field (httpUrl, webUrl) of a parsed JSON answer onto `base`, in place.
 * True when one changed.
 */
export function rewriteMediaUrls(value: unknown, base: string, depth = 0): boolean {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return false;
  let changed = false;
  if (Array.isArray(value)) {
    for (const item of value) changed = rewriteMediaUrls(item, base, depth + 1) || changed;
    return changed;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const field = obj[key];
    if (MEDIA_URL_FIELDS.has(key) && typeof field === 'string') {
      const url = moved(field, base);
      if (url !== null && url !== field) {
        obj[key] = url;
        changed = true;
      }
    } else changed = rewriteMediaUrls(field, base, depth + 1) || changed;
  }
  return changed;
}

/**
 * A media JSON answer's body with its media URLs on `base`; the body as it came when it is not
 * JSON or holds none.
 */
export function mediaAnswerOnBase(body: Buffer, contentType: string | undefined, base: string): Buffer {
  if (contentType === undefined || !/^application\/json\b/iu.test(contentType)) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  return rewriteMediaUrls(parsed, base) ? Buffer.from(JSON.stringify(parsed)) : body;
}
