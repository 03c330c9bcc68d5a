// REDIS_CLUSTER_NODES and the key prefix a Redis Cluster needs. On a cluster every key of one
// queue prefix must hash to one slot: BullMQ's scripts and our state scripts touch several keys
// at once, and Redis refuses a multi-key command across slots (CROSSSLOT). A hash tag in the
// prefix (`{oip}`) makes Redis hash only the tag, so every `<prefix>:…` key lands in one slot.
import { ConfigError } from './config-error.js';

/** `host:port` or `[v6]:port`, port 1–65535. */
const NODE = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_.-]+)):(\d{1,5})$/;

/**
 * Parses comma-separated `host:port` seeds (blanks dropped) into `host:port` strings; throws
 * ConfigError naming `variable` on a seed that is not one, or when there is none.
 */
export function parseRedisClusterNodes(value: string, variable = 'REDIS_CLUSTER_NODES'): string[] {
  const seeds = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (seeds.length === 0)
    throw new ConfigError(`invalid config ${variable}: expected host:port seeds separated by commas`, { variable });
  if (seeds.length > 64)
    throw new ConfigError(`invalid config ${variable}: at most 64 seeds, got ${seeds.length}`, { variable });
  for (const seed of seeds) {
    const m = NODE.exec(seed);
    const port = m ? Number(m[3]) : 0;
    if (!m || port < 1 || port > 65_535) {
      throw new ConfigError(`invalid config ${variable}: expected host:port, got "${seed.slice(0, 200)}"`, {
        variable,
      });
    }
  }
  return seeds;
}

/**
 * The hash tag Redis hashes for keys starting with `prefix` (the text between the first `{`
 * and the first `}` after it, when not empty), or null when such keys hash whole.
 */
export function hashTagOf(prefix: string): string | null {
  const open = prefix.indexOf('{');
  if (open < 0) return null;
  const close = prefix.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return null;
  return prefix.slice(open + 1, close);
}

/** Throws ConfigError naming `variable` unless `prefix` carries a hash tag (`{oip}`). */
export function checkClusterPrefix(prefix: string, variable: string): void {
  if (hashTagOf(prefix) === null) {
    throw new ConfigError(
      `invalid config ${variable}: on a Redis Cluster (REDIS_CLUSTER_NODES) the prefix needs a hash tag so all its keys share one slot, e.g. "{${prefix.replace(/[{}]/g, '') || 'oip'}}", got "${prefix.slice(0, 200)}"`,
      { variable },
    );
  }
}
