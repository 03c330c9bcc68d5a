// Peer URLs may carry a credential (`ws://host:8765/gun?token=…`, or user:pass@): what we show
// about peers never includes it.

/** The peer URL with its query values and userinfo replaced by `***`; unparsable → `***`. */
export function redactPeerUrl(peer: string): string {
  let url: URL;
  try {
    url = new URL(peer);
  } catch {
    return '***';
  }
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  for (const key of [...new Set(url.searchParams.keys())]) url.searchParams.set(key, '***');
  // URLSearchParams percent-encodes the stars; keep them readable.
  return url.toString().replace(/%2A%2A%2A/g, '***');
}
