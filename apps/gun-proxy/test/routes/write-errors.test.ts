// The put route answers GunPeer's failures by their code: status, legacy text and x-error-code.
import { describe, expect, it } from 'vitest';
import { writeError } from '../../src/routes/relay.js';
import { PutTimeoutError } from '../../src/errors.js';
import { http, useProxies } from '../helpers.js';

const start = useProxies();

describe('put route write errors', () => {
  it('a store that refuses the write → 500 GUNPROXY_PUT_FAILED with the legacy body, nothing internal', async () => {
    const p = await start();
    expect((await http(p.url, 'POST', '/put', { soul: 'x:ok', data: { a: 1 } })).status).toBe(200);
    p.app.gunPeer.store.close();
    const res = await http(p.url, 'POST', '/put', { soul: 'x:1', data: { a: 1 } });
    expect(res).toMatchObject({ status: 500, body: { error: 'Write failed' } });
    expect(res.headers['x-error-code']).toBe('GUNPROXY_PUT_FAILED');
  });

  it('maps by code, not by message: a coded timeout stays a timeout, an uncoded "timeout" is a failed write', () => {
    const coded = new PutTimeoutError(250);
    expect(writeError(coded)).toBe(coded);
    expect(writeError(Object.assign(new Error('anything at all'), { code: 'GUNPROXY_SHUTTING_DOWN' }))).toMatchObject({
      code: 'GUNPROXY_SHUTTING_DOWN',
    });
    const plain = writeError(new Error('timeout'));
    expect(plain).toMatchObject({ code: 'GUNPROXY_PUT_FAILED', statusCode: 500 });
    expect((plain as Error).cause).toBeInstanceOf(Error);
    expect(writeError(new Error('closed'))).toMatchObject({ code: 'GUNPROXY_PUT_FAILED' });
  });
});
