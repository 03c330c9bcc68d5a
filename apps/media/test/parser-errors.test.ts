// Requests refused before any route runs (the HTTP parser, the body parsers) are answered in the
// house body with MEDIA_ codes on media's own port, like every other error (issue 24).
import { describe, expect, it } from 'vitest';
import { rawRequest } from '@oip/test-kit';
import { bearer, useMedia } from './helpers.js';

const start = useMedia();
const house = (code: string) => ({ error: { code, message: expect.any(String) }, requestId: expect.any(String) });

describe("media's parser errors", () => {
  it('a request line the HTTP parser refuses: 400 MEDIA_BAD_REQUEST in the house body, Connection: close', async () => {
    const m = await start();
    const res = await rawRequest(m.port, 'FOO /api/media/upload HTTP/1.1');
    expect([res.status, res.headers['connection'], res.headers['x-error-code']]).toEqual([
      400,
      'close',
      'MEDIA_BAD_REQUEST',
    ]);
    expect(JSON.parse(res.body.toString())).toEqual({
      error: { code: 'MEDIA_BAD_REQUEST', message: 'The request is not valid HTTP' },
    });
  });

  it('headers past the limit: 431 MEDIA_HEADERS_TOO_LARGE', async () => {
    const m = await start();
    const res = await rawRequest(m.port, `GET /health HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}`);
    expect([res.status, JSON.parse(res.body.toString()).error.code]).toEqual([431, 'MEDIA_HEADERS_TOO_LARGE']);
  });

  it('malformed JSON, a body past the limit and an unknown content type answer the house body', async () => {
    const m = await start();
    const json = await m.app.inject({
      method: 'POST',
      url: '/nowhere',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect([json.statusCode, json.headers['x-error-code'], json.json()]).toEqual([
      400,
      'MEDIA_INVALID_JSON',
      house('MEDIA_INVALID_JSON'),
    ]);
    const big = await m.app.inject({
      method: 'POST',
      url: '/nowhere',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ pad: 'x'.repeat(m.app.initialConfig.bodyLimit ?? 0) }),
    });
    expect([big.statusCode, big.json()]).toEqual([413, house('MEDIA_BODY_TOO_LARGE')]);
    expect(big.json().error.message).toBe(`Request body is larger than ${m.app.initialConfig.bodyLimit} bytes`);
    const type = await m.app.inject({
      method: 'POST',
      url: '/api/media/upload',
      headers: { 'content-type': 'text/xml', authorization: bearer('pk-a') },
      payload: '<a/>',
    });
    // The upload route is a legacy route: its legacy body, the code in the header.
    expect([type.statusCode, type.headers['x-error-code'], type.json()]).toEqual([
      400,
      'MEDIA_VALIDATION',
      { error: 'Invalid request: Unsupported Media Type' },
    ]);
  });
});
