// Builds the bounded ES client the adapter owns when none is injected.
import { Client } from '@elastic/elasticsearch';
import { withPlainJsonEs } from '@oip/service-kit';

/** The ESM entry does not re-export the options type, so derive it. */
type ClientOptions = ConstructorParameters<typeof Client>[0];

export interface EsClientOptions {
  /** ES node URL(s), e.g. `http://127.0.0.1:9200`. */
  node: string | string[];
  /** Basic, API-key or bearer auth (never logged or copied into errors). */
  auth?: ClientOptions['auth'];
  /**
   * Most sockets open to each ES node (undici pool `connections`); further requests queue.
   * Legacy nodes had no bound and grew from 5 to 150+ sockets (seed 003).
   * @defaultValue 10
   */
  maxSockets?: number;
  /**
   * How long an idle keep-alive socket stays open, ms (undici `keepAliveTimeout`). Keep-alive is
   * always on: sockets are reused, never left to pile up. Undici has no `maxFreeSockets`; idle
   * sockets are bounded by `maxSockets` and closed after this timeout.
   * @defaultValue 30000
   */
  keepAliveTimeoutMs?: number;
  /** Per-request timeout, ms. @defaultValue 30000 */
  requestTimeoutMs?: number;
  /** Client-level retries on connection errors and 502/503/504. @defaultValue 2 */
  maxRetries?: number;
  /** Largest response body accepted, bytes. @defaultValue 52428800 (50 MiB) */
  maxResponseSize?: number;
  /**
   * Speak plain `application/json` instead of this client's `compatible-with=9` media types, which
   * Elasticsearch 8.x refuses (7.17 and 9.x take both): for a legacy node's cluster (`oip migrate
   * records`, the read-only legacy index mode). @defaultValue false
   */
  plainJson?: boolean;
}

export function createEsClient(options: EsClientOptions): Client {
  const keepAlive = options.keepAliveTimeoutMs ?? 30_000;
  const clientOptions: ClientOptions = {
    node: options.node,
    maxRetries: options.maxRetries ?? 2,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    maxResponseSize: options.maxResponseSize ?? 50 * 1024 * 1024,
    compression: false,
    // UndiciConnection (the default) takes undici pool options here, not http.Agent options.
    agent: {
      connections: Math.max(1, Math.floor(options.maxSockets ?? 10)),
      keepAliveTimeout: keepAlive,
      keepAliveMaxTimeout: keepAlive,
      pipelining: 1,
    },
  };
  if (options.auth !== undefined) clientOptions.auth = options.auth;
  return new Client(withPlainJsonEs(clientOptions, options.plainJson === true));
}
