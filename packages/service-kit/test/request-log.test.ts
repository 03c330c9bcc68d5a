// One log line per request: the app's pino output captured through a stream, requests by inject().
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { isPollRequest, requestLogController } from '../src/fastify.js';

interface Line {
  level: number;
  msg: string;
  http?: { method: string; url: string; statusCode: number; responseTime: number };
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/** An app logging at `level` into `lines` (one parsed JSON object a line), with three routes. */
function appLogging(level: string): { app: FastifyInstance; lines: Line[] } {
  const lines: Line[] = [];
  const app = Fastify({
    logger: { level, stream: { write: (l: string) => void lines.push(JSON.parse(l) as Line) } },
    logController: requestLogController(),
  });
  app.get('/api/things', async () => ({ ok: true }));
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/metrics', async () => 'up 1\n');
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  apps.push(app);
  return { app, lines };
}

describe('requestLogController', () => {
  it('logs one line per request at info: method, url, status and time in the message and as fields', async () => {
    const { app, lines } = appLogging('info');
    await app.ready();
    lines.length = 0;
    expect((await app.inject({ method: 'GET', url: '/api/things?x=1' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/things' })).statusCode).toBe(404);
    expect(lines.map((l) => l.msg)).toEqual([
      expect.stringMatching(/^GET \/api\/things\?x=1 200 \d+(\.\d)? ms$/u),
      expect.stringMatching(/^POST \/api\/things 404 \d+(\.\d)? ms$/u),
    ]);
    expect(lines.every((l) => l.level === 30)).toBe(true);
    expect(lines[0]!.http).toEqual({
      method: 'GET',
      url: '/api/things?x=1',
      statusCode: 200,
      responseTime: expect.any(Number),
    });
  });

  it('health and metrics polls are not logged at info', async () => {
    const { app, lines } = appLogging('info');
    await app.ready();
    lines.length = 0;
    for (const url of ['/health', '/metrics', '/health?probe=1']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
    expect(lines).toEqual([]);
  });

  it('at debug: the incoming request in full, then the completion line; polls too', async () => {
    const { app, lines } = appLogging('debug');
    await app.ready();
    lines.length = 0;
    await app.inject({ method: 'GET', url: '/health' });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [20, 'incoming request'],
      [20, expect.stringMatching(/^GET \/health 200 /u)],
    ]);
    expect((lines[0] as unknown as { req: { url: string } }).req.url).toBe('/health');
  });

  it('a 5xx is logged at error', async () => {
    const { app, lines } = appLogging('info');
    await app.ready();
    lines.length = 0;
    expect((await app.inject({ method: 'GET', url: '/boom' })).statusCode).toBe(500);
    const completion = lines.filter((l) => l.http !== undefined);
    expect(completion.map((l) => [l.level, l.msg])).toEqual([[50, expect.stringMatching(/^GET \/boom 500 /u)]]);
  });

  it('polls are /health, /ready, /live, /metrics and their sub-paths, nothing else', () => {
    for (const url of ['/health', '/health/ready', '/healthz', '/ready', '/readiness', '/live', '/metrics?x'])
      expect(isPollRequest(url), url).toBe(true);
    for (const url of ['/healthy', '/api/health', '/metricsx', '/']) expect(isPollRequest(url), url).toBe(false);
  });
});
