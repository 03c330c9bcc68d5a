// A proxied request body as a stream: bytes pass through as the upstream takes them (nothing is
// buffered beyond the stream's high-water mark), counted against the gateway's body limit.
import { Transform, type TransformCallback } from 'node:stream';
import type { IncomingMessage } from 'node:http';

export class StreamingBody extends Transform {
  /** Bytes passed on so far. */
  bytes = 0;
  /** Called for every chunk the upstream takes (the dispatcher's idle timer). */
  onProgress: (() => void) | undefined;
  readonly #limit: number;
  readonly #tooLarge: () => Error;

  /**
   * @param source the client's request; its errors and an early close destroy this stream (and so
   *   the upstream request). Past `limit` bytes this stream fails with `tooLarge()` while the
   *   client's request is left alone, so the 413 can still be answered on it.
   */
  constructor(source: IncomingMessage, limit: number, tooLarge: () => Error) {
    super();
    this.#limit = limit;
    this.#tooLarge = tooLarge;
    const onError = (err: Error): void => {
      this.destroy(err);
    };
    const onClose = (): void => {
      if (!source.complete)
        this.destroy(
          Object.assign(new Error('client closed the request before its body ended'), { code: 'ECONNRESET' }),
        );
    };
    // The error listener stays: Node decides to emit an abort error while listeners exist and
    // emits it a tick later, so removing it in between would make the error uncaught.
    source.on('error', onError);
    source.once('close', onClose);
    this.once('close', () => {
      source.off('close', onClose);
      source.unpipe(this);
    });
    source.pipe(this);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.#limit) {
      cb(this.#tooLarge());
      return;
    }
    this.onProgress?.();
    cb(null, chunk);
  }
}

/**
 * Reads a small upstream answer whose length is known (at most what one stream buffer holds
 * anyway) into one Buffer, so it leaves in a single write; fails if the stream ends early.
 */
export function readSmallBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let ended = false;
    stream.on('data', (c: Buffer) => parts.push(c));
    stream.once('end', () => {
      ended = true;
      resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    });
    stream.once('error', reject);
    stream.once('close', () => {
      if (!ended) reject(Object.assign(new Error('upstream answer ended early'), { code: 'UND_ERR_SOCKET' }));
    });
  });
}
