// The bounded ES client the store builds when none is injected (legacy grew from 5 to 150+
// sockets with an unbounded client, seed 003).
import { Client } from '@elastic/elasticsearch';
import { withPlainJsonEs } from '@oip/service-kit';

type ClientOptions = ConstructorParameters<typeof Client>[0];

export interface AccountsEsClientOptions {
  /** ES node URL, e.g. `http://127.0.0.1:9200`. */
  url: string;
  username?: string;
  password?: string;
  /** An Elasticsearch API key (base64 `id:api_key`); used instead of basic auth when set. */
  apiKey?: string;
  /** Sockets per ES node. @defaultValue 4 */
  maxSockets?: number;
  /** Per-request timeout, ms. @defaultValue 10000 */
  requestTimeoutMs?: number;
  /** Client retries on connection errors and 502/503/504. @defaultValue 1 */
  maxRetries?: number;
  /**
   * Speak plain `application/json` instead of this client's `compatible-with=9` media types, which
   * Elasticsearch 8.x refuses (7.17 and 9.x take both): for reading a legacy node's indices.
   * @defaultValue false
   */
  plainJson?: boolean;
}

export function createAccountsEsClient(options: AccountsEsClientOptions): Client {
  const clientOptions: ClientOptions = {
    node: options.url,
    maxRetries: options.maxRetries ?? 1,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    // Account documents are a few KB; nothing legitimate is larger.
    maxResponseSize: 10 * 1024 * 1024,
    compression: false,
    agent: {
      connections: Math.max(1, Math.floor(options.maxSockets ?? 4)),
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 30_000,
      pipelining: 1,
    },
  };
  if (options.apiKey !== undefined) {
    clientOptions.auth = { apiKey: options.apiKey };
  } else if (options.username !== undefined) {
    clientOptions.auth = { username: options.username, password: options.password ?? '' };
  }
  return new Client(withPlainJsonEs(clientOptions, options.plainJson === true));
}
