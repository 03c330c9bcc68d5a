import diagnostics from 'node:diagnostics_channel';
import { startFakeRelay } from '@oip/fake-relay';
import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { clientFor } from './helpers.js';

const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;

describe('lifecycle and observability', () => {
  it('leaves no sockets, servers or timers behind after close', async () => {
    const baseline = tcpHandles();
    const relay = await startFakeRelay();
    const client = clientFor(relay.url);
    relay.store.put('s:1', { a: 1 });
    relay.addFault({ path: '/get', status: 503 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.getSoul(i % 2 ? 's:1' : `s:miss${i}`)));
    expect(tcpHandles()).toBeGreaterThan(baseline);
    await client.close();
    await relay.close();
    await until(() => tcpHandles() === baseline, { what: 'no open connections left', timeoutMs: 3000, intervalMs: 10 });
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(1);
  });

  it('publishes request, retry and negative-cache events on diagnostics channels', async () => {
    const relay = await startFakeRelay();
    const client = clientFor(relay.url);
    const seen: Record<string, number> = { request: 0, retry: 0, negativeCache: 0 };
    const subs = {
      request: () => seen.request!++,
      retry: () => seen.retry!++,
      negativeCache: () => seen.negativeCache!++,
    };
    diagnostics.subscribe('oip:gun-client:request', subs.request);
    diagnostics.subscribe('oip:gun-client:retry', subs.retry);
    diagnostics.subscribe('oip:gun-client:negative-cache', subs.negativeCache);
    try {
      relay.addFault({ path: '/get', status: 502 });
      await client.getSoul('x:1');
      await client.getSoul('x:1');
    } finally {
      diagnostics.unsubscribe('oip:gun-client:request', subs.request);
      diagnostics.unsubscribe('oip:gun-client:retry', subs.retry);
      diagnostics.unsubscribe('oip:gun-client:negative-cache', subs.negativeCache);
      await client.close();
      await relay.close();
    }
    expect(seen).toEqual({ request: 2, retry: 1, negativeCache: 2 });
  });

  it('logs a give-up at warn through the injected logger, never the auth token', async () => {
    const relay = await startFakeRelay();
    const lines: string[] = [];
    const logger = {
      debug: (o: object, m?: string) => void lines.push(JSON.stringify(o) + m),
      warn: (o: object, m?: string) => void lines.push('WARN ' + JSON.stringify(o) + m),
    };
    const client = clientFor(relay.url, {
      logger,
      authToken: 'sekret-token',
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    relay.addFault({ path: '/put', status: 503, times: 2 });
    await expect(client.putSoul('a:1', { x: 1 })).rejects.toMatchObject({ code: 'GUN_ERR_UPSTREAM' });
    await client.close();
    await relay.close();
    expect(lines.filter((l) => l.startsWith('WARN'))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('sekret-token');
  });
});
