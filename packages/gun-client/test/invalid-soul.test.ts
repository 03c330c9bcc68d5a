import { describe, expect, it } from 'vitest';
import { MAX_SOUL_LENGTH } from '@oip/records';
import { GunClient } from '../src/index.js';

describe('the one soul rule set, in the client', () => {
  it('is what the client checks before any request: a soul our relays refuse never leaves', async () => {
    const client = new GunClient({ baseUrl: 'http://127.0.0.1:9' });
    try {
      for (const bad of ['a'.repeat(MAX_SOUL_LENGTH + 1), 'a\u0085b', '__proto__']) {
        await expect(client.getSoul(bad)).rejects.toMatchObject({ code: 'GUN_ERR_INVALID_ARGUMENT' });
      }
    } finally {
      await client.close();
    }
  });
});
