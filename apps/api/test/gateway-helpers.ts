// The api listening on 127.0.0.1:0 in front of real upstreams: loopback node:http servers that
// count what reaches them (requests, bodies, connections closed before their answer finished).
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { buildApp, parseConfig, type Config } from '../src/app.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface Upstream {
  url: string;
  port: number;
  server: http.Server;
  /** Requests that reached this server, in order. */
  seen: SeenRequest[];
  /** Responses closed before they finished (the gateway cut the upstream request). */
  closedEarly: number;
  /** Requests whose body was cut before it ended. */
  bodiesCut: number;
}

export type UpstreamHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface Gateway {
  app: FastifyInstance;
  url: string;
  port: number;
  /** The api's data dir (records and `accounts.sqlite`). */
  dataDir: string;
}

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const srv = http.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

export function useGateway(): {
  upstream(handler: UpstreamHandler): Promise<Upstream>;
  gateway(overrides: Partial<Config>, before?: (app: FastifyInstance) => void): Promise<Gateway>;
  /** Registers a cleanup run after the test (reverse order). */
  defer(close: () => Promise<void>): void;
} {
  const open: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close();
  });
  return {
    defer: (close) => void open.push(close),
    async upstream(handler) {
      const up: Upstream = { url: '', port: 0, server: http.createServer(), seen: [], closedEarly: 0, bodiesCut: 0 };
      up.server.on('request', (req, res) => {
        up.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
        res.once('close', () => {
          if (!res.writableFinished) up.closedEarly++;
        });
        req.once('close', () => {
          if (!req.complete) up.bodiesCut++;
        });
        handler(req, res);
      });
      await new Promise<void>((r) => up.server.listen(0, '127.0.0.1', r));
      up.port = (up.server.address() as AddressInfo).port;
      up.url = `http://127.0.0.1:${up.port}`;
      open.push(async () => {
        up.server.closeAllConnections();
        await new Promise((r) => up.server.close(r));
      });
      return up;
    },
    async gateway(overrides, before) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'api-gateway-test-'));
      open.push(() => rm(dir, { recursive: true, force: true }));
      // No load shedding: a loaded CI box must not turn these answers into 503 (memory-guard tests it).
      const config = parseConfig({
        store: { kind: 'sqlite', dataDir: dir },
        logLevel: 'silent',
        maxEventLoopDelayMs: 0,
        ...overrides,
      });
      const app = buildApp(config);
      open.push(() => app.close());
      before?.(app);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      return { app, port, url: `http://127.0.0.1:${port}`, dataDir: dir };
    },
  };
}

/** Reads a node:http response fully. */
export async function readAll(res: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
