// ioredis reads a string that is not a URL as a unix socket path and retries it for ever
// (`REDIS_URL='not a url'`): only redis:// and rediss:// URLs pass.
import { ConfigError } from './config-error.js';

/** Throws ConfigError naming `variable` unless `value` is a redis:// or rediss:// URL with a host. */
export function checkRedisUrl(value: string, variable = 'REDIS_URL'): void {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) {
    // A value with credentials in it is not echoed.
    const shown = value.includes('@') ? '' : `, got "${value.slice(0, 200)}"`;
    throw new ConfigError(`invalid config ${variable}: expected a redis:// or rediss:// URL${shown}`, { variable });
  }
}
