import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publisherHash } from '../src/index.js';

const PUBLIC = '03aaeb52dd7494c361049de67cc680e83ebcbbbdbeb13637d92cd845f70308af5e';

describe('publisherHash', () => {
  it('is the first 12 hex of sha256 over the public key text, as legacy computeSoul hashes it', () => {
    // Computed outside this code: `printf %s 03aaeb…af5e | sha256sum` → e5f375453eb7983…
    expect(publisherHash(PUBLIC)).toBe('e5f375453eb7');
  });

  it('is not the hash of the decoded key bytes (that would give other souls than legacy)', () => {
    // `echo 03aaeb…af5e | xxd -r -p | sha256sum` → a41ac9373b98…
    const ofBytes = createHash('sha256').update(Buffer.from(PUBLIC, 'hex')).digest('hex').slice(0, 12);
    expect(ofBytes).toBe('a41ac9373b98');
    expect(publisherHash(PUBLIC)).not.toBe(ofBytes);
  });

  it('gives 12 lowercase hex chars for any key text', () => {
    expect(publisherHash('')).toBe('e3b0c44298fc');
    expect(publisherHash('anything at all')).toMatch(/^[0-9a-f]{12}$/u);
  });
});
