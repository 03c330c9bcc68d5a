// HTTP file semantics for one stored media file (and, webFileResponse, for a file of the legacy
// web directory: below), from @fastify/send: ranges (206, 416 with
// `Content-Range: bytes */size`), HEAD, If-Modified-Since / If-Unmodified-Since, Last-Modified,
// Cache-Control: public media `public, max-age=<1 year>, immutable`; private media (the caller's
// own) `private, no-store` on every answer (200, 206, 304, HEAD), so no cache keeps it (the route
// adds `Vary: Authorization`). Three adaptations, because our ETag is the content hash (`"<mediaId>"`, strong,
// never changes) while send only knows its own size-mtime etag, and because legacy clients expect
// a full body for ranges send would answer otherwise:
// - If-None-Match / If-Match / If-Range naming our ETag are decided here and handed to send as
//   the equivalent condition (`*`, or removed);
// - a Range header that is not exactly one RFC 9110 byte-range-spec (malformed, several ranges,
//   first > last) is dropped: the full body, 200 (send would answer 416 for malformed ones and
//   206 for overlapping several);
// - a suffix longer than the file means the whole file (RFC 9110 §14.1.2; send answers 416).
import type { Readable } from 'node:stream';
import send from '@fastify/send';
import type { IncomingHttpHeaders } from 'node:http';
import { PreconditionFailedError, RangeNotSatisfiableError } from '../errors.js';
import type { LocatedMedia } from './media-store.js';

export const CACHE_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;
/** Cache-Control of everything private: no cache, shared or the browser's, keeps it. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';
const SINGLE_RANGE = /^bytes=(?:(\d+)-(\d*)|-(\d+))$/i;
const MIME =
  /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}(?:\s*;\s*[a-z0-9_.-]+=(?:[a-z0-9_.+-]+|"[^"\\\r\n]*"))*$/i;

export interface FileResponse {
  statusCode: number;
  headers: Record<string, string | number>;
  /** The file's bytes (GET 200/206); null for HEAD and 304. The caller must consume or destroy it. */
  stream: Readable | null;
}

export interface FileResponseOptions {
  /** MEDIA_DIR (resolved): send serves `/<mediaId>/original` below it. */
  root: string;
  /** Read buffer, bytes. */
  highWaterMark: number;
  /** `public`: cacheable by anyone for a year, immutable; `private`: `private, no-store`. */
  cache: 'public' | 'private';
  /** The Content-Type to send (the view's, checked by contentTypeOf). */
  mimeType: unknown;
}

/** `"<mediaId>"`: the content hash is the strongest validator there is. */
export function etagOf(mediaId: string): string {
  return `"${mediaId}"`;
}

/** A Content-Type we are willing to send: the manifest's when well-formed, else octet-stream. */
export function contentTypeOf(mimeType: unknown): string {
  return typeof mimeType === 'string' && MIME.test(mimeType) ? mimeType : 'application/octet-stream';
}

function listMatches(list: string, etag: string, weak: boolean): boolean {
  if (list.trim() === '*') return true;
  return list.split(',').some((raw) => {
    const token = raw.trim();
    return token === etag || (weak && token === `W/${etag}`);
  });
}

/** The Range header to hand to send: one well-formed byte-range-spec, or none (full body). */
export function normaliseRange(value: string | undefined, size: number): string | undefined {
  if (value === undefined) return undefined;
  const m = SINGLE_RANGE.exec(value);
  if (!m) return undefined;
  const [, first, last, suffix] = m;
  if (first !== undefined) {
    if (last !== undefined && last !== '' && Number(last) < Number(first)) return undefined;
    return `bytes=${first}-${last ?? ''}`;
  }
  return Number(suffix) > size ? 'bytes=0-' : `bytes=-${suffix}`;
}

/** The request headers send should see for our ETag and range rules (see the top of the file). */
export function adaptedHeaders(headers: IncomingHttpHeaders, etag: string, size: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['if-modified-since', 'if-unmodified-since', 'if-range', 'cache-control'] as const) {
    const v = headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  const range = normaliseRange(typeof headers.range === 'string' ? headers.range : undefined, size);
  if (range !== undefined) out.range = range;
  const inm = headers['if-none-match'];
  if (typeof inm === 'string') {
    // If-None-Match overrides If-Modified-Since (RFC 9110 §13.1.3).
    delete out['if-modified-since'];
    if (listMatches(inm, etag, true)) out['if-none-match'] = '*';
  }
  const im = headers['if-match'];
  if (typeof im === 'string' && !listMatches(im, etag, false)) out['if-match'] = im;
  const ifRange = out['if-range'];
  if (ifRange !== undefined && ifRange.includes('"')) {
    // If-Range with an entity tag: strong comparison; a stale one means the full body.
    delete out['if-range'];
    if (ifRange.trim() !== etag) delete out.range;
  }
  return out;
}

/** The answer for GET/HEAD of a located media file; throws our 412/416 errors; null if the file vanished. */
export async function fileResponse(
  method: string,
  headers: IncomingHttpHeaders,
  media: Pick<LocatedMedia, 'mediaId' | 'file'>,
  opts: FileResponseOptions,
): Promise<FileResponse | null> {
  const etag = etagOf(media.mediaId);
  const res = await sendFile(method, adaptedHeaders(headers, etag, media.file.size), `/${media.mediaId}/original`, {
    ...opts,
    size: media.file.size,
    ownEtag: false,
  });
  if (res === null) return null;
  res.headers.ETag = etag;
  if (opts.cache === 'private') res.headers['Cache-Control'] = PRIVATE_CACHE_CONTROL;
  if (res.statusCode !== 304) res.headers['Content-Type'] = contentTypeOf(opts.mimeType);
  return res;
}

export interface WebFileResponseOptions {
  /** `<MEDIA_DIR>/web`: send serves `sendPath` below it. */
  root: string;
  highWaterMark: number;
}

/**
 * The answer for GET/HEAD of a file of the legacy web directory, as legacy's express.static gave
 * it: send's own ETag (size-mtime) and Content-Type (from the extension), public for a year,
 * immutable; ranges as for media (one well-formed range or the full body). A file there is
 * never replaced by web-setup, so the year's caching holds.
 */
export async function webFileResponse(
  method: string,
  headers: IncomingHttpHeaders,
  file: { sendPath: string; size: number },
  opts: WebFileResponseOptions,
): Promise<FileResponse | null> {
  const out: Record<string, string> = {};
  for (const name of [
    'if-none-match',
    'if-match',
    'if-modified-since',
    'if-unmodified-since',
    'if-range',
    'cache-control',
  ] as const) {
    const v = headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  const range = normaliseRange(typeof headers.range === 'string' ? headers.range : undefined, file.size);
  if (range !== undefined) out.range = range;
  return sendFile(method, out, file.sendPath, { ...opts, cache: 'public', size: file.size, ownEtag: true });
}

interface SendFileOptions {
  root: string;
  highWaterMark: number;
  cache: 'public' | 'private';
  size: number;
  /** true: send's size-mtime ETag and extension Content-Type; false: the caller sets both. */
  ownEtag: boolean;
}

/** send's answer for `sendPath` below `root`, with our 412/416 errors and hardening headers; null on 404. */
async function sendFile(
  method: string,
  headers: Record<string, string>,
  sendPath: string,
  opts: SendFileOptions,
): Promise<FileResponse | null> {
  const result = await send({ method, headers } as unknown as Readable, sendPath, {
    root: opts.root,
    etag: opts.ownEtag,
    contentType: opts.ownEtag,
    cacheControl: opts.cache === 'public',
    maxAge: CACHE_MAX_AGE_MS,
    immutable: true,
    lastModified: true,
    acceptRanges: true,
    index: false,
    dotfiles: 'deny',
    highWaterMark: opts.highWaterMark,
  });
  if (result.type !== 'file') {
    result.stream.destroy();
    if (result.statusCode === 416) {
      const err = new RangeNotSatisfiableError(opts.size);
      (err as { headers?: Record<string, string> }).headers = {
        'content-range': result.headers['Content-Range'] ?? `bytes */${opts.size}`,
      };
      throw err;
    }
    if (result.statusCode === 412) throw new PreconditionFailedError();
    if (result.statusCode === 404) return null;
    throw new Error(`@fastify/send answered ${result.statusCode} for a checked file`, {
      cause: result.type === 'error' ? result.metadata.error : undefined,
    });
  }
  const out: Record<string, string | number> = {
    ...result.headers,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': 'sandbox',
  };
  const bodyless = method === 'HEAD' || result.statusCode === 304;
  if (bodyless) result.stream.destroy();
  return { statusCode: result.statusCode, headers: out, stream: bodyless ? null : result.stream };
}
