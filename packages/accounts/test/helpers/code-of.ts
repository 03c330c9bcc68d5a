// The `code` a call rejects or throws with (undefined when it succeeds), for asserting on error
// codes. Takes a promise, or a function for calls that may throw before returning one.
export async function codeOf(call: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}
