import { afterEach, describe, expect, it } from 'vitest';
import { StrengthWorker } from '../src/strength-worker.js';
import { codeOf } from './helpers/code-of.js';

describe('StrengthWorker (zxcvbn-ts in a worker thread)', () => {
  const workers: StrengthWorker[] = [];
  const make = (maxPending?: number): StrengthWorker => {
    const w = new StrengthWorker({
      maxLength: 64,
      l33tMaxSubstitutions: 10,
      ...(maxPending === undefined ? {} : { maxPending }),
    });
    workers.push(w);
    return w;
  };
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
  });

  it("answers the library's verdict, with user inputs counted as known words", async () => {
    const w = make();
    expect(await w.check('password', [])).toEqual({
      score: 0,
      warning: expect.any(String),
      suggestions: expect.any(Array),
    });
    expect((await w.check('marguerite.okonkwo', [])).score).toBeGreaterThanOrEqual(3);
    expect((await w.check('marguerite.okonkwo', ['marguerite.okonkwo'])).score).toBeLessThan(3);
  });

  it('refuses checks past its queue bound with ACCOUNTS_ERR_STORE_UNAVAILABLE and answers the queued ones', async () => {
    const w = make(2);
    const queued = [w.check('correct horse battery', []), w.check('12345678', [])];
    expect(await codeOf(w.check('one too many', []))).toBe('ACCOUNTS_ERR_STORE_UNAVAILABLE');
    expect((await Promise.all(queued)).map((v) => v.score >= 3)).toEqual([true, false]);
    // Room again once they are answered.
    expect((await w.check('qwerty', [])).score).toBeLessThan(3);
  });

  it('starts a new worker after the old one stops', async () => {
    const w = make();
    expect((await w.check('letmein', [])).score).toBe(0);
    await w.close();
    expect((await w.check('letmein', [])).score).toBe(0);
  });
});
