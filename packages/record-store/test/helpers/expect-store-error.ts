// The one assertion on a store error: the promise rejects with that code.
import { expect } from 'vitest';

export async function expectStoreError(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toMatchObject({ code });
}
