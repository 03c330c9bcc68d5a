// The gateway's dispatcher contacts only the origins it was built with, whatever a request names.
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { UpstreamDispatcher } from '../src/services/gateway-dispatcher.js';
import { useGateway } from './gateway-helpers.js';

const t = useGateway();

function send(
  d: UpstreamDispatcher,
  origin: string,
): Promise<{ err: (Error & { code?: string }) | null; status?: number }> {
  return new Promise((resolve) => {
    d.request(
      { origin, path: '/x', method: 'GET', headers: {} },
      (err: Error | null, data?: Dispatcher.ResponseData) => {
        if (err || !data) return resolve({ err });
        void data.body.dump().then(() => resolve({ err: null, status: data.statusCode }));
      },
    );
  });
}

describe('UpstreamDispatcher', () => {
  it('forwards to a configured origin and refuses any other without opening a connection to it', async () => {
    const allowed = await t.upstream((_req, res) => res.end('ok'));
    const other = await t.upstream((_req, res) => res.end('should not be reached'));
    let otherConnections = 0;
    other.server.on('connection', () => otherConnections++);
    const d = new UpstreamDispatcher({ origins: [`${allowed.url}/base/`], connections: 2, timeoutMs: 1000 });
    t.defer(() => d.destroy());

    expect(await send(d, allowed.url)).toEqual({ err: null, status: 200 });
    const refused = await send(d, other.url);
    expect(refused.err?.code).toBe('API_ERR_UPSTREAM_NOT_CONFIGURED');
    expect(otherConnections).toBe(0);
    expect(other.seen).toHaveLength(0);
    expect(allowed.seen).toHaveLength(1);
  });
});
