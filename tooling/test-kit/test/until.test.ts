import { describe, expect, it } from 'vitest';
import { giveUp, until } from '../src/index.js';

describe('until', () => {
  it('resolves with the first truthy value', async () => {
    let n = 0;
    const v = await until(() => (++n >= 3 ? `done at ${n}` : null), { what: 'three calls', intervalMs: 1 });
    expect(v).toBe('done at 3');
  });

  it('takes a probe that throws as not yet', async () => {
    let n = 0;
    const v = await until(
      async () => {
        if (++n < 3) throw new Error('not up');
        return n;
      },
      { what: 'the probe to stop throwing', intervalMs: 1 },
    );
    expect(v).toBe(3);
  });

  it('with ok, resolves with the value it accepts, falsy ones included', async () => {
    let n = 3;
    expect(await until(() => --n, { what: 'zero', ok: (v) => v === 0, intervalMs: 1 })).toBe(0);
  });

  it('throws with what and the last value when time runs out', async () => {
    const started = Date.now();
    const err = await until(() => ({ indexed: 4 }), {
      what: 'five indexed',
      ok: (c) => c.indexed === 5,
      timeoutMs: 100,
      intervalMs: 10,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TESTKIT_ERR_UNTIL_TIMEOUT' });
    expect((err as Error).message).toBe('five indexed: not reached within 100 ms (last value: {"indexed":4})');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('throws with the last error as message and cause', async () => {
    const boom = new Error('connection refused');
    const err = await until(
      () => {
        throw boom;
      },
      { what: 'the server', timeoutMs: 50 },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('the server: not reached within 50 ms (last error: connection refused)');
    expect((err as Error).cause).toBe(boom);
  });

  it('does not wait past its bound for a probe that hangs', async () => {
    const started = Date.now();
    const err = await until(() => new Promise<never>(() => {}), { what: 'a hung probe', timeoutMs: 100 }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe(
      'a hung probe: not reached within 100 ms (no probe finished, a probe still running)',
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops at once when the probe gives up', async () => {
    const started = Date.now();
    let calls = 0;
    const err = await until(
      () => {
        calls++;
        giveUp('the process exited 1');
      },
      { what: 'the api listening', timeoutMs: 5000 },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'TESTKIT_ERR_UNTIL_GAVE_UP',
      message: 'the api listening: the process exited 1',
    });
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
