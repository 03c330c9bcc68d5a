// An uploaded file streamed to a temp file in MEDIA_DIR/.tmp: sha256 and size computed while the
// bytes pass, the size limit enforced on the way (no byte past it is written), fsync before the
// caller places it. On any failure (limit, client abort, disk error) the temp file is removed and
// the source stream destroyed before the error reaches the caller. Past the limit it fails with
// MEDIA_ERR_UPLOAD_TOO_LARGE.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PRIVATE_FILE_MODE } from '@oip/service-kit';
import { UploadTooLargeError } from '../errors.js';

export interface SunkFile {
  tmpFile: string;
  sha256: string;
  size: number;
}

/** Streams `source` into a new temp file; resolves once the file is complete and fsynced. */
export async function sinkUpload(
  source: Readable,
  tmpDir: string,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<SunkFile> {
  const tmpFile = path.join(tmpDir, `upload-${randomBytes(12).toString('hex')}`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(new UploadTooLargeError(maxBytes));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    const sink = createWriteStream(tmpFile, { flags: 'wx', mode: PRIVATE_FILE_MODE });
    await (signal ? pipeline(source, meter, sink, { signal }) : pipeline(source, meter, sink));
    const fh = await open(tmpFile, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { tmpFile, sha256: hash.digest('hex'), size };
  } catch (err) {
    source.destroy();
    await rm(tmpFile, { force: true });
    throw err;
  }
}
