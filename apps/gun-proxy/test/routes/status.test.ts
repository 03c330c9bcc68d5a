import { describe, expect, it } from 'vitest';
import { http, useProxies } from '../helpers.js';

const start = useProxies();

describe('/health, /metrics and /peers/status', () => {
  it('reports memory bounds and counts requests', async () => {
    const p = await start();
    await http(p.url, 'POST', '/put', { soul: 'abc:m1', data: { a: 1 } });
    await http(p.url, 'GET', '/get?soul=abc:m1');
    await http(p.url, 'GET', '/get?soul=abc:none');
    const health = await http(p.url, 'GET', '/health');
    expect(health).toMatchObject({
      status: 200,
      body: {
        status: 'ok',
        gun: { graphNodes: 0, chains: 0 },
        relay: { localHits: 1, misses: 1 },
        memory: { rssBytes: expect.any(Number) },
      },
    });
    const metrics = await http(p.url, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    const text = metrics.body as string;
    expect(text).toMatch(/oip_gunproxy_http_requests_total\{route="\/get",method="GET",status="200"\} 1/);
    expect(text).toMatch(/oip_gunproxy_http_requests_total\{route="\/get",method="GET",status="404"\} 1/);
    expect(text).toMatch(/oip_gunproxy_gun_graph_nodes 0/);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/oip_gunproxy_memory_bytes\{type="rss"\} \d+/);
    const mem = await http(p.url, 'GET', '/health/memory');
    expect(mem.status).toBe(200);
    const status = await http(p.url, 'GET', '/peers/status');
    expect(status.body).toMatchObject({
      configuredPeers: [],
      peerCount: 0,
      allowedDomains: [],
      isolationMode: 'isolated',
      multicastDisabled: true,
      axeDisabled: true,
    });
  });
});
