// Names the bottleneck of one scaling run from what was measured: a process that used a whole
// core (Redis is one thread; the relay child is one), the box's CPU as a whole (our processes and
// whatever else runs on it), the one SQLite file the workers share (their event loops wait in its
// synchronous writes), or, when nothing of that is saturated, the stage records wait on longest.
import type { ScaleRun } from './scale-run.js';

/** A process or the box counts as saturated from this share of its capacity. */
const SATURATED = 0.85;
/** Workers spending this share of their time in store writes are held by the store. */
const STORE_BOUND = 0.5;

export interface Bottleneck {
  /** Short key for the RESULT line. */
  key: string;
  text: string;
}

const pct = (part: number, whole: number) => `${Math.round((100 * part) / Math.max(1, whole))} %`;

/** Share of the workers' wall time spent inside store flushes (synchronous on SQLite). */
export function storeShare(r: ScaleRun): number {
  return (r.stages.get('store_flush')?.seconds ?? 0) / (r.seconds * r.workers);
}

export function bottleneck(r: ScaleRun, cores: number): Bottleneck {
  const wall = r.seconds * 1000;
  const ours = r.cpu.workers + r.cpu.relay + r.cpu.redisAll;
  const box = Math.max(r.cpu.box, ours);
  const owner = r.cpu.redisOwner / wall;
  if (owner >= SATURATED) {
    return {
      key: 'redis-master',
      text: `the Redis server holding the prefix used ${owner.toFixed(2)} of its one core (every key of a hash-tagged prefix is on one master)`,
    };
  }
  if (r.cpu.relay / wall >= SATURATED)
    return { key: 'relay', text: `the relay process used ${(r.cpu.relay / wall).toFixed(2)} of its one core` };
  if (box / wall >= SATURATED * cores) {
    return {
      key: 'cpu',
      text: `the box's CPU: ${(box / wall).toFixed(2)} of ${cores} cores busy (sync workers ${pct(r.cpu.workers, box)}, Redis ${pct(r.cpu.redisAll, box)}, relay ${pct(r.cpu.relay, box)}, other processes on the box ${pct(box - ours, box)})`,
    };
  }
  if (storeShare(r) >= STORE_BOUND) {
    return {
      key: 'sqlite-writer',
      text: `the one SQLite file: each worker spent ${pct(storeShare(r), 1)} of its time in synchronous store writes (one writer at a time across processes; a waiting writer blocks its event loop)`,
    };
  }
  if (r.cpu.workers / wall / r.workers >= SATURATED)
    return {
      key: 'worker-cpu',
      text: `each sync worker used ${(r.cpu.workers / wall / r.workers).toFixed(2)} of its one core (Node's one JS thread)`,
    };
  let stage = 'none';
  let ms = -1;
  for (const [name, s] of r.stages) {
    if (name === 'queue_wait' || name === 'store_flush' || s.count === 0) continue;
    const mean = (s.seconds * 1000) / s.count;
    if (mean > ms) [stage, ms] = [name, mean];
  }
  return {
    key: `latency-${stage}`,
    text: `nothing saturated (${(box / wall).toFixed(2)} of ${cores} cores busy); records wait longest in ${stage}: ${ms.toFixed(2)} ms each`,
  };
}
