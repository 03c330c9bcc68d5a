// Open file descriptors of this process, from /proc/self/fd (Linux); null where there is none.
import { readdir } from 'node:fs/promises';

export async function countOpenFds(): Promise<number | null> {
  try {
    // readdir holds one descriptor of its own while it reads: every count includes it.
    return (await readdir('/proc/self/fd')).length;
  } catch {
    return null;
  }
}
