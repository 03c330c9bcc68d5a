import { describe, expect, it } from 'vitest';
import { withDeadline } from '../src/deadline.js';

class Late extends Error {
  readonly code = 'T_LATE';
}

describe('withDeadline', () => {
  it('passes a value that arrives in time through', async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, () => new Late())).resolves.toBe(7);
  });

  it('rejects with the caller error when the promise is late, and with its own error when it fails', async () => {
    const never = new Promise<never>(() => {});
    await expect(withDeadline(never, 20, () => new Late('late'))).rejects.toMatchObject({ code: 'T_LATE' });
    await expect(withDeadline(Promise.reject(new Error('boom')), 1000, () => new Late())).rejects.toThrow('boom');
  });
});
