// Fastify's `clientErrorHandler` for a service: a request Node's HTTP parser refuses (a malformed
// request line or method, a bad header, headers past the size limit, a request not received in
// time) is answered in the house shape with a stable code and `Connection: close`, then the socket
// is closed. Fastify's default answer leaves `Connection: close` out, so a keep-alive client (undici,
// a proxy's upstream pool) sends its next request on the socket being closed and gets a reset,
// which a load balancer turns into a 502 for that next, well-formed request (fastify/fastify#4101).
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_CODE_HEADER } from './error-handler.js';

/** The handler for `Fastify({ clientErrorHandler })`; codes `<prefix>_BAD_REQUEST` (400), `_REQUEST_TIMEOUT` (408), `_HEADERS_TOO_LARGE` (431). */
export function clientErrorHandler(prefix: string): (err: Error & { code?: string }, socket: Socket) => void {
  return (err, socket) => {
    // A reset connection has nobody to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, code, message]: [number, string, string] =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, `${prefix}_REQUEST_TIMEOUT`, 'The request was not received in time']
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, `${prefix}_HEADERS_TOO_LARGE`, 'The request headers are larger than this server accepts']
          : [400, `${prefix}_BAD_REQUEST`, 'The request is not valid HTTP'];
    const body = JSON.stringify({ error: { code, message } });
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${ERROR_CODE_HEADER}: ${code}\r\n\r\n${body}`,
      );
    }
    socket.destroy(err);
  };
}
