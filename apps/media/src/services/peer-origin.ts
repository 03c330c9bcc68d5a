// Replication's allowlist holds ORIGINS (scheme, host and port), compared exactly, the default
// port filled in from the scheme. A bare host (`peer.example`, `peer.example:3006`) is refused at
// config load rather than guessed: it used to allow every port and path on that host, and which
// scheme the operator meant cannot be known.

/** Default ports of the schemes a peer may be fetched over. */
const DEFAULT_PORTS: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, { 'http:': '80', 'https:': '443' }),
);

/** `scheme://host:port` of a URL over http(s), the port always written; null for other schemes. */
export function originKey(url: URL): string | null {
  const defaultPort = DEFAULT_PORTS[url.protocol];
  if (defaultPort === undefined) return null;
  const port = url.port !== '' ? url.port : defaultPort;
  return `${url.protocol}//${url.hostname}:${port}`;
}

/**
 * One allowlist entry as its origin key (`http://peer.example:80`), or a sentence saying why it
 * is not an origin. Accepted: `http(s)://host[:port]`, with at most a trailing `/`.
 */
export function parseAllowedOrigin(entry: string): { origin: string } | { problem: string } {
  const text = entry.trim();
  if (!/^https?:\/\//i.test(text)) {
    return {
      problem: `"${entry}" is not an origin: write the scheme, host and port, e.g. http://${text || 'peer.example'} or https://${text || 'peer.example'}`,
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `"${entry}" is not a URL` };
  }
  if (url.username !== '' || url.password !== '')
    return { problem: `"${entry}" carries credentials; an origin has none` };
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
    return { problem: `"${entry}" has a path, query or fragment; an origin is scheme://host[:port] only` };
  }
  const origin = originKey(url);
  if (origin === null) return { problem: `"${entry}" is not http or https` };
  return { origin };
}
