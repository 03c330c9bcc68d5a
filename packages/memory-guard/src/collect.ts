import { readdirSync, readlinkSync } from 'node:fs';
import v8 from 'node:v8';
import type { HeapSpaceSample } from './sample.js';

/** Resource types (from `process.getActiveResourcesInfo()`) that are TCP sockets. */
const SOCKET_RESOURCE_TYPES = new Set(['TCPSocketWrap', 'TCPWrap']);

/** Above this many fds we count them but skip the per-fd readlink (cost grows with the leak). */
const MAX_FDS_TO_CLASSIFY = 10_000;

export function countActiveResources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) out[type] = (out[type] ?? 0) + 1;
  return out;
}

export function socketHandles(resources: Record<string, number>): number {
  let n = 0;
  for (const [type, count] of Object.entries(resources)) if (SOCKET_RESOURCE_TYPES.has(type)) n += count;
  return n;
}

export interface FdCounts {
  fds: number;
  /** null when classification was skipped. */
  socketFds: number | null;
}

/**
 * Counts open fds via /proc/self/fd (Linux). Returns null elsewhere or when /proc is not
 * readable, so the sampler degrades instead of failing.
 */
export function countFds(fdDir = '/proc/self/fd'): FdCounts | null {
  let entries: string[];
  try {
    entries = readdirSync(fdDir);
  } catch {
    return null;
  }
  // readdir itself holds one fd while listing; it is closed by now, so drop it from the count.
  const fds = Math.max(0, entries.length - 1);
  if (entries.length > MAX_FDS_TO_CLASSIFY) return { fds, socketFds: null };
  let socketFds = 0;
  for (const entry of entries) {
    try {
      if (readlinkSync(`${fdDir}/${entry}`).startsWith('socket:')) socketFds++;
    } catch {
      // The readdir fd (or one closed since) no longer exists: not a socket.
    }
  }
  return { fds, socketFds };
}

export function heapSpaces(): Record<string, HeapSpaceSample> {
  const out: Record<string, HeapSpaceSample> = {};
  for (const s of v8.getHeapSpaceStatistics()) {
    out[s.space_name] = { used: s.space_used_size, size: s.space_size, available: s.space_available_size };
  }
  return out;
}

export function heapSizeLimit(): number {
  return v8.getHeapStatistics().heap_size_limit;
}
