import { describe, expect, it } from 'vitest';
import { redactPeerUrl } from '../../src/services/redact-peer.js';
import { http, useProxies } from '../helpers.js';

const start = useProxies();

describe('peer credentials never shown', () => {
  it('redacts query values and userinfo of peer URLs', () => {
    expect(redactPeerUrl('ws://10.0.0.2:8765/gun?token=s3cret')).toBe('ws://10.0.0.2:8765/gun?token=***');
    expect(redactPeerUrl('ws://user:pw@relay.example:8765/gun')).toBe('ws://***:***@relay.example:8765/gun');
    expect(redactPeerUrl('ws://relay.example:8765/gun')).toBe('ws://relay.example:8765/gun');
    expect(redactPeerUrl('not a url')).toBe('***');
  });

  it('keeps a peer token out of /peers/status', async () => {
    const p = await start({
      peers: ['ws://127.0.0.1:9/gun?token=peer-secret-0123456789'],
      peerAllowlist: ['127.0.0.1'],
    });
    const res = await http(p.url, 'GET', '/peers/status');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('peer-secret');
    expect(res.body).toMatchObject({ configuredPeers: ['ws://127.0.0.1:9/gun?token=***'], peerCount: 1 });
  });
});
