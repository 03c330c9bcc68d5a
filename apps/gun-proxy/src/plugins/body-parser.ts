// JSON bodies are parsed here (not by Fastify's default parser) so that the raw text is kept for
// HMAC auth and bad JSON answers the legacy `{ "error": "Invalid JSON" }`. Like the legacy relay,
// a body without a JSON content type is still read as JSON.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidJsonError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body as received (bounded by the app's body limit). */
    rawBody?: string;
  }
}

function parse(req: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void): void {
  req.rawBody = body;
  if (body.trim().length === 0) {
    done(null, {});
    return;
  }
  try {
    done(null, JSON.parse(body) as unknown);
  } catch {
    done(new InvalidJsonError());
  }
}

async function bodyParserPlugin(app: FastifyInstance): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => parse(req, body as string, done));
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => parse(req, body as string, done));
}

export default fp(bodyParserPlugin, { name: 'gun-proxy-body-parser', fastify: '5.x' });
