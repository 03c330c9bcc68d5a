// Which of many values a Redis set holds, asked in chunks (one SMISMEMBER each).
import type { RedisConnection } from './redis-connection.js';

const CHUNK = 500;

export async function membersAmong(
  redis: RedisConnection,
  key: string,
  values: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < values.length; i += CHUNK) {
    const chunk = values.slice(i, i + CHUNK);
    const flags = await redis.smismember(key, ...chunk);
    chunk.forEach((v, j) => {
      if (flags[j] === 1) out.add(v);
    });
  }
  return out;
}
