import diagnostics from 'node:diagnostics_channel';

/** Channel names, for `diagnostics_channel.subscribe(name, fn)`. */
export const channels = {
  /** After every HTTP attempt: `{ method, path, attempt, statusCode?, code?, durationMs }`. */
  request: diagnostics.channel('oip:gun-client:request'),
  /** Before a retry: `{ method, path, retryNumber, delayMs, code }`. */
  retry: diagnostics.channel('oip:gun-client:retry'),
  /** On every negative-cache lookup: `{ key, hit }`. */
  negativeCache: diagnostics.channel('oip:gun-client:negative-cache'),
} as const;

export function publish(ch: diagnostics.Channel, message: object): void {
  if (ch.hasSubscribers) ch.publish(message);
}
