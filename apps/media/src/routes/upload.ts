// POST /api/media/upload (auth, legacy): multipart field `file` plus legacy form fields
// (`access_level` = public | private, default private). The file streams through
// @fastify/multipart into MEDIA_DIR/.tmp with its sha256 computed on the way (the mediaId), the
// size limit enforced (413), fsync, then linked into place beside its manifest. The same bytes
// uploaded again keep the stored file; the answer is always the CALLER's own view (their file
// name, key and access level, services/media-views.ts): a second user uploading someone else's
// file gets a view of their own and never learns who else has it, under which name, or that
// anyone does (`duplicate` is true only when the caller had uploaded it before). Failed, aborted
// and oversized uploads leave nothing behind (the temp file is removed before the error is
// answered). Public media is then published to the relay, off the request path.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { clientGone } from '@oip/service-kit/fastify';
import { rm } from 'node:fs/promises';
import {
  DiskFullError,
  InvalidAccessLevelError,
  MediaErrorCodes,
  NoFileError,
  PublisherKeyMissingError,
  StorageError,
  UploadAbortedError,
  UploadFormError,
  UploadTooLargeError,
} from '../errors.js';
import { contentTypeOf } from '../services/file-response.js';
import { accessLevelOf, type AccessLevel, type MediaManifest } from '../services/manifest.js';
import type { UploadResult } from '../services/media-metrics.js';
import { sinkUpload, type SunkFile } from '../services/upload-sink.js';

export interface UploadRoutesOptions {
  maxUploadBytes: number;
  /** Our public base URL, for `httpUrl`. */
  publicBase: () => string;
}

/** Room for boundaries and form fields beside the file in a declared Content-Length. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;
const MAX_FIELD_BYTES = 8 * 1024;
const LEGACY_MESSAGE =
  'File uploaded successfully (BitTorrent unavailable - HTTP streaming only). Use /api/records/newRecord to create proper OIP record.';

/** The client's file name, as a plain label: control characters dropped, bounded length. */
function nameOf(filename: string | undefined, mediaId: string): string {
  const clean = (filename ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 255);
  return clean.length > 0 ? clean : mediaId;
}

function accessOf(value: string | undefined): AccessLevel {
  if (value === undefined || value === '') return 'private';
  if (value === 'public' || value === 'private') return value;
  throw new InvalidAccessLevelError();
}

/**
 * The error to answer for what went wrong while receiving, and the result it counts as. Ours
 * (MEDIA_ codes, thrown where the fault was born) answer as they are; the multipart parser's, the
 * stream's and the file system's become ours here, where they meet our code.
 */
function receiveError(err: unknown, aborted: boolean, maxBytes: number): { error: Error; result: UploadResult } {
  const code = (err as { code?: string }).code;
  if (code === MediaErrorCodes.UPLOAD_TOO_LARGE) return { error: err as Error, result: 'too_large' };
  if (code === 'FST_REQ_FILE_TOO_LARGE') return { error: new UploadTooLargeError(maxBytes), result: 'too_large' };
  if (aborted || code === 'FST_MP_PREMATURE_CLOSE' || code === 'ABORT_ERR' || code === 'ERR_STREAM_PREMATURE_CLOSE')
    return { error: new UploadAbortedError(), result: 'aborted' };
  if (code === 'FST_FILES_LIMIT')
    return { error: new UploadFormError('one file only, in the field "file"'), result: 'rejected' };
  if (code?.startsWith('MEDIA_'))
    return {
      error: err as Error,
      result: ((err as { statusCode?: number }).statusCode ?? 500) >= 500 ? 'failed' : 'rejected',
    };
  if (code === 'ENOSPC' || code === 'EDQUOT') return { error: new DiskFullError({ cause: err }), result: 'failed' };
  // File system errors carry a syscall; anything else came from parsing the form.
  if ((err as { syscall?: string }).syscall !== undefined || !(err instanceof Error))
    return { error: new StorageError({ cause: err }), result: 'failed' };
  return { error: new UploadFormError(err.message), result: 'rejected' };
}

export default async function uploadRoutes(app: FastifyInstance, opts: UploadRoutesOptions): Promise<void> {
  const max = opts.maxUploadBytes;
  await app.register(multipart, {
    // One byte more than the limit reaches our meter, which refuses it: busboy's own truncation
    // would end the file quietly at the limit.
    limits: {
      fileSize: max + 1,
      files: 1,
      fields: 32,
      fieldSize: MAX_FIELD_BYTES,
      fieldNameSize: 100,
      parts: 40,
      headerPairs: 100,
    },
    throwFileSizeLimit: true,
  });

  const refuse = (reply: FastifyReply, result: UploadResult, error: Error): never => {
    app.mediaMetrics.upload(result);
    // The client may still be sending a body we will not read.
    if (!reply.raw.headersSent) void reply.header('connection', 'close');
    throw error;
  };

  app.post('/api/media/upload', { onRequest: app.requireAuth, config: { legacy: true } }, async (req, reply) => {
    const owner = req.auth.user?.publicKey ?? null;
    if (owner === null) return refuse(reply, 'rejected', new PublisherKeyMissingError());
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max + FORM_OVERHEAD_BYTES) return refuse(reply, 'too_large', new UploadTooLargeError(max));
    if (!req.isMultipart()) return refuse(reply, 'rejected', new NoFileError());

    const gone = clientGone(reply);
    const fields: Record<string, string> = {};
    let sunk: SunkFile | null = null;
    let filename: string | undefined;
    let mimetype: string | undefined;
    try {
      for await (const part of req.parts()) {
        if (part.type === 'field') {
          fields[part.fieldname] ??= String(part.value);
          continue;
        }
        if (part.fieldname !== 'file' || sunk !== null) {
          part.file.destroy();
          throw new UploadFormError('one file only, in the field "file"');
        }
        sunk = await sinkUpload(part.file, app.media.paths.tmpDir, max, gone.signal);
        if (part.file.truncated) throw new UploadTooLargeError(max);
        filename = part.filename;
        mimetype = part.mimetype;
      }
      if (sunk === null) throw new NoFileError();
      const accessLevel = accessOf(fields['access_level']);
      const mediaId = sunk.sha256;
      const manifest: MediaManifest = {
        mediaId,
        originalName: nameOf(filename, mediaId),
        mimeType: contentTypeOf(mimetype),
        fileSize: sunk.size,
        httpUrl: `${opts.publicBase()}/api/media/${mediaId}`,
        createdAt: new Date().toISOString(),
        userPublicKey: owner,
        accessLevel,
      };
      const placed = await app.media.place(sunk.tmpFile, mediaId, manifest);
      sunk = null;
      const own = placed.view;
      app.mediaMetrics.upload(placed.stored ? 'stored' : 'duplicate', own.fileSize);
      // Only a public view is ever published (never another uploader's private one).
      if (accessLevelOf(own) === 'public' && placed.public !== null) app.announcer?.announce(placed.public);
      return {
        success: true,
        mediaId,
        httpUrl: own.httpUrl,
        size: own.fileSize,
        mime: own.mimeType,
        originalName: own.originalName,
        access_level: accessLevelOf(own),
        owner: own.userPublicKey,
        duplicate: !placed.created,
        magnetURI: '',
        infoHash: '',
        torrentAvailable: false,
        message: LEGACY_MESSAGE,
      };
    } catch (err) {
      if (sunk !== null) await rm(sunk.tmpFile, { force: true });
      const { error, result } = receiveError(err, gone.signal.aborted, max);
      if (result === 'failed') req.log.error({ err }, 'storing an upload failed');
      return refuse(reply, result, error);
    } finally {
      gone.done();
    }
  });
}
