// Header rules of the gateway on top of @fastify/reply-from's (which drops `connection`, the
// headers it names and `transfer-encoding` from requests, and sets `host` to the upstream's).

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus `expect`, which undici refuses (Node answered the 100-continue). */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'expect',
] as const;

type HeaderMap = Record<string, string | string[] | number | undefined>;

function namedByConnection(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
}

/** Removes hop-by-hop headers (and those the Connection header names) from a header map in place. */
export function stripHopByHop<T extends HeaderMap>(headers: T): T {
  for (const name of namedByConnection(headers.connection)) delete headers[name];
  for (const name of HOP_BY_HOP) delete headers[name];
  return headers;
}

export interface ClientFacts {
  /** The client's address. */
  ip: string;
  /** Host the client asked for (its Host header), passed on as x-forwarded-host. */
  host: string | undefined;
  protocol: string;
  requestId: string;
}

/** Request headers for the upstream: hop-by-hop removed, x-forwarded-* and x-request-id set. */
export function upstreamRequestHeaders(headers: HeaderMap, client: ClientFacts): HeaderMap {
  stripHopByHop(headers);
  const prior = headers['x-forwarded-for'];
  const chain = Array.isArray(prior)
    ? prior.join(', ')
    : typeof prior === 'string' && prior.length > 0
      ? prior
      : undefined;
  headers['x-forwarded-for'] = chain ? `${chain}, ${client.ip}` : client.ip;
  headers['x-forwarded-proto'] = client.protocol;
  if (client.host !== undefined) headers['x-forwarded-host'] = client.host;
  else delete headers['x-forwarded-host'];
  headers['x-request-id'] = client.requestId;
  return headers;
}
