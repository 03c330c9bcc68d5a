// The 9.x @elastic/elasticsearch client sends `application/vnd.elasticsearch+json; compatible-with=9`
// on every request. Elasticsearch 8.x refuses that ("Accept version must be either version 8 or 7,
// but found 9": media_type_header_exception); 7.17 lets it through and 9.x wants it. Plain
// application/json is what every version from 7 on takes, so a client reading a legacy node's
// cluster (7.17 in the legacy docker-compose, 8.x where it was upgraded) speaks that.

/** Client-level headers for plain JSON; set as the client's `headers`, they win over its versioned defaults. */
export function plainJsonEsHeaders(): Record<string, string> {
  // A fresh object each time: the client adds to the headers object it is given (auth).
  return { accept: 'application/json', 'content-type': 'application/json' };
}

/**
 * `clientOptions` with plain JSON headers merged in when `plainJson` is true (headers the caller
 * set win), unchanged otherwise. Both the record store's and the accounts' ES clients build theirs
 * through this, so there is one way of reading a legacy cluster.
 */
export function withPlainJsonEs<T extends { headers?: Record<string, string> }>(
  clientOptions: T,
  plainJson: boolean,
): T {
  if (!plainJson) return clientOptions;
  return { ...clientOptions, headers: { ...plainJsonEsHeaders(), ...clientOptions.headers } };
}
