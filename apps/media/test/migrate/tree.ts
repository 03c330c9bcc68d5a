// A media dir's content as comparable rows: every path (below the migration's own `.migrate`
// state and the server's `.tmp`, which are not content), its kind, inode, mtime and, for files,
// a hash of the bytes.
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

export interface TreeRow {
  path: string;
  kind: 'dir' | 'file' | 'link' | 'other';
  ino: number;
  mtimeMs: number;
  sha256?: string;
}

export async function snapshot(dir: string): Promise<TreeRow[]> {
  const rows: TreeRow[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const abs = path.join(e.parentPath, e.name);
    const rel = path.relative(dir, abs);
    const top = rel.split(path.sep)[0];
    if (top === '.migrate' || top === '.tmp') continue;
    const st = await lstat(abs);
    const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
    const row: TreeRow = { path: rel, kind, ino: st.ino, mtimeMs: st.mtimeMs };
    if (kind === 'file')
      row.sha256 = createHash('sha256')
        .update(await readFile(abs))
        .digest('hex');
    rows.push(row);
  }
  return rows.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The rows without what differs between two copies of the same content (inodes, times). */
export function contentOf(rows: TreeRow[]): Array<Pick<TreeRow, 'path' | 'kind' | 'sha256'>> {
  return rows.map(({ path: p, kind, sha256 }) => ({ path: p, kind, ...(sha256 === undefined ? {} : { sha256 }) }));
}
