import { describe, expect, it } from 'vitest';
import { http, sampleRecord, useProxies } from '../helpers.js';

const start = useProxies();

describe('the legacy node API paths and status counts', () => {
  it('serves /gun-relay/put, /gun-relay/get and /gun-relay/list like the root paths', async () => {
    const p = await start();
    const soul = '647f79c2a338:via-prefix';
    const record = sampleRecord(soul);
    expect(await http(p.url, 'POST', '/gun-relay/put', { soul, data: record })).toMatchObject({
      status: 200,
      body: { success: true, soul },
    });
    expect((await http(p.url, 'GET', `/get?soul=${soul}`)).body).toEqual({ success: true, data: record });
    expect((await http(p.url, 'GET', `/gun-relay/get?soul=${soul}`)).body).toEqual({ success: true, data: record });
    const listed = await http(p.url, 'GET', '/gun-relay/list?publisherHash=647f79c2a338');
    expect(listed.body).toMatchObject({ success: true, records: [{ soul, data: record, recordType: 'post' }] });
    expect(await http(p.url, 'GET', '/gun-relay/get')).toMatchObject({
      status: 400,
      body: { error: 'Soul parameter required' },
    });
    expect(await http(p.url, 'GET', '/gun-relay/get?soul=647f79c2a338:absent')).toMatchObject({
      status: 404,
      body: { error: 'Not found' },
    });
  });

  it('counts configured peers as peerCount (legacy) and reports open sockets as connectedPeers', async () => {
    // Nothing listens on the configured peer, so none connects: legacy still counts it.
    const p = await start({ peers: ['ws://127.0.0.1:9/gun'], peerAllowlist: ['127.0.0.1'] });
    const status = await http(p.url, 'GET', '/peers/status');
    expect(status.body).toMatchObject({
      configuredPeers: ['ws://127.0.0.1:9/gun'],
      peerCount: 1,
      connectedPeers: 0,
      allowedDomains: ['127.0.0.1'],
      isolationMode: 'multi-node',
    });
  });
});
