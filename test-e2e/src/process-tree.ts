// The processes under a pid, read from /proc (Linux): whatever group or session a descendant put
// itself in, its parent link still shows it. Zombies count as gone.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcEntry {
  pid: number;
  ppid: number;
  state: string;
  command: string;
}

function readProc(pid: number): ProcEntry | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, ppid: Number(ppid), state: state ?? '?', command };
  } catch {
    return null;
  }
}

function allProcesses(): ProcEntry[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is ProcEntry => p !== null);
}

/** Every live (not zombie) descendant of `root`, with its command line. */
export function descendants(root: number): Array<{ pid: number; command: string }> {
  const procs = allProcesses().filter((p) => p.state !== 'Z');
  const children = new Map<number, ProcEntry[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: ProcEntry[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out.map(({ pid, command }) => ({ pid, command }));
}

/** Those of `pids` still alive (not zombies), with their command lines. */
export function stillAlive(pids: readonly number[]): Array<{ pid: number; command: string }> {
  return pids
    .map((pid) => readProc(pid))
    .filter((p): p is ProcEntry => p !== null && p.state !== 'Z')
    .map(({ pid, command }) => ({ pid, command }));
}
