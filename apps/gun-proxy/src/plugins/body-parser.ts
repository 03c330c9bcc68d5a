// JSON bodies are parsed here (not by Fastify's default parser) so that the raw text is kept for
// HMAC auth and bad JSON answers the legacy `{ "error": "Invalid JSON" }`. Like the legacy relay,
// a body without a JSON content type is still read as JSON.
//
// Input we would otherwise store differently, or trip over, is refused here with a stable code:
// bytes that are not UTF-8 (a lenient decode would store U+FFFD), nesting past `maxDepth`, an own
// `__proto__` key (JSON.parse keeps it as an own property, so it stays visible to refuse; this is
// what Fastify's `onProtoPoisoning: 'error'` does), numbers that overflow to Infinity (`1e400`).
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  InvalidJsonError,
  InvalidUtf8Error,
  NumberNotFiniteError,
  ReservedNameError,
  TooDeepError,
} from '../errors.js';
import { jsonProblem } from '@oip/service-kit';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body as received (bounded by the app's body limit). */
    rawBody?: string;
  }
}

// ignoreBOM keeps a BOM in rawBody, so an HMAC covers exactly the bytes sent; JSON.parse skips it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function parse(
  req: FastifyRequest,
  raw: Buffer,
  maxDepth: number,
  done: (err: Error | null, value?: unknown) => void,
): void {
  let body: string;
  try {
    body = utf8.decode(raw);
  } catch {
    done(new InvalidUtf8Error());
    return;
  }
  req.rawBody = body;
  if (body.trim().length === 0) {
    done(null, {});
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body) as unknown;
  } catch {
    done(new InvalidJsonError());
    return;
  }
  const problem = jsonProblem(value, maxDepth);
  if (problem?.kind === 'too-deep') done(new TooDeepError(problem.maxDepth));
  else if (problem?.kind === 'reserved-key') done(new ReservedNameError(problem.path));
  else if (problem?.kind === 'not-finite') done(new NumberNotFiniteError(problem.path));
  else done(null, value);
}

async function bodyParserPlugin(app: FastifyInstance, opts: { maxDepth: number }): Promise<void> {
  app.removeAllContentTypeParsers();
  const handler = (
    req: FastifyRequest,
    body: string | Buffer,
    done: (err: Error | null, value?: unknown) => void,
  ): void => parse(req, body as Buffer, opts.maxDepth, done);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, handler);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, handler);
}

export default fp(bodyParserPlugin, { name: 'gun-proxy-body-parser', fastify: '5.x' });
