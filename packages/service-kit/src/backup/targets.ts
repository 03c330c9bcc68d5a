// Whether a backup or restore target already holds something.
import { readdir, stat } from 'node:fs/promises';

/** True when `p` does not exist, is an empty directory, or is an empty file. */
export async function isEmptyTarget(p: string): Promise<boolean> {
  let st;
  try {
    st = await stat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
  if (st.isDirectory()) return (await readdir(p)).length === 0;
  return st.size === 0;
}
