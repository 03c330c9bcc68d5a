// Streamed sha256 of a file, and a streamed copy that hashes the bytes as they pass: memory stays
// at one read buffer whatever the file's size. Files are opened without following a link (a
// symlink planted in the source is never read through), and the copy is fsynced before it is
// handed back, so a file the migration puts in place is whole on disk.
import { createHash, randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from '@oip/service-kit';
import { READ_NOFOLLOW } from '../services/media-paths.js';

/** Read buffer of hashing and copying, bytes. */
const CHUNK_BYTES = 1024 * 1024;

export interface HashedFile {
  sha256: string;
  size: number;
}

/** The sha256 and size of the regular file at `file` (read through one descriptor). */
export async function hashFile(file: string): Promise<HashedFile> {
  const fh = await open(file, READ_NOFOLLOW);
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of fh.createReadStream({ autoClose: false, highWaterMark: CHUNK_BYTES })) {
      const b = chunk as Buffer;
      size += b.length;
      hash.update(b);
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await fh.close();
  }
}

export interface CopiedFile extends HashedFile {
  /** The fsynced copy, a new file in the temp directory given. */
  tmpFile: string;
}

/** Copies `file` into a new file of `tmpDir`, hashing on the way; the copy is fsynced. Removed on failure. */
export async function copyHashed(file: string, tmpDir: string): Promise<CopiedFile> {
  const tmpFile = path.join(tmpDir, `copy-${randomBytes(12).toString('hex')}`);
  const src = await open(file, READ_NOFOLLOW);
  let done = false;
  try {
    const dst = await open(tmpFile, 'wx', PRIVATE_FILE_MODE);
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of src.createReadStream({ autoClose: false, highWaterMark: CHUNK_BYTES })) {
        const b = chunk as Buffer;
        size += b.length;
        hash.update(b);
        let off = 0;
        while (off < b.length) off += (await dst.write(b, off, b.length - off)).bytesWritten;
      }
      await dst.sync();
      done = true;
      return { tmpFile, sha256: hash.digest('hex'), size };
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
    if (!done) await rm(tmpFile, { force: true });
  }
}
