// Sends a file answer (services/file-response.ts) on a reply, for both file routes (serve.ts,
// web.ts): the error's own headers (a 416's Content-Range) go on the error answer, a vanished
// file is a 404, and the file stream is counted while open and destroyed when the response
// closes, whatever ended it.
import type { FastifyReply } from 'fastify';
import { MediaNotFoundError } from '../errors.js';
import type { FileResponse } from '../services/file-response.js';
import type { MediaMetrics } from '../services/media-metrics.js';

export async function replyWithFile(
  reply: FastifyReply,
  metrics: MediaMetrics,
  answer: Promise<FileResponse | null>,
): Promise<FastifyReply> {
  let res: FileResponse | null;
  try {
    res = await answer;
  } catch (err) {
    const headers = (err as { headers?: Record<string, string> }).headers;
    if (headers) void reply.headers(headers);
    throw err;
  }
  if (res === null) throw new MediaNotFoundError();
  void reply.code(res.statusCode).headers(res.headers);
  if (res.stream === null) return reply.send();
  const stream = res.stream;
  metrics.trackStream(stream);
  // Fastify destroys a stream payload when the response closes early; this makes it certain
  // for every way a response can end (client abort, socket timeout, error), as seed 004 asks.
  reply.raw.once('close', () => {
    if (!stream.destroyed) stream.destroy();
  });
  return reply.send(stream);
}
