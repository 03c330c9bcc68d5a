import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../src/index.js';

let server: net.Server;
let port: number;
const seen: string[] = [];

beforeAll(async () => {
  // A bare socket server: it records the request bytes and answers (or not) by the path.
  server = net.createServer((socket) => {
    socket.once('data', (b: Buffer) => {
      const text = b.toString('latin1');
      seen.push(text);
      if (text.startsWith('GET /silent')) return;
      socket.end('HTTP/1.1 404 Not Found\r\nX-Error-Code: NOPE\r\nContent-Length: 4\r\n\r\ngone');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('rawRequest', () => {
  it('writes the request exactly as given and reads status, headers and body', async () => {
    const res = await rawRequest(port, 'GET /media/%2e%2e/./x\\y HTTP/1.1');
    expect(seen.at(-1)).toBe('GET /media/%2e%2e/./x\\y HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(404);
    expect(res.headers['x-error-code']).toBe('NOPE');
    expect(res.body.toString()).toBe('gone');
  });

  it('rejects when no answer arrives in time', async () => {
    await expect(rawRequest(port, 'GET /silent HTTP/1.1', 200)).rejects.toThrow(/no full answer within 200 ms/);
  });
});
