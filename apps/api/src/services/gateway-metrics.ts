// The gateway's counters on the app's prom-client registry, per upstream. Label children are
// cached: hashing labels on every proxied request costs more than the increment.
import { Counter, type Registry } from 'prom-client';

export type FailureKind = 'timeout' | 'unavailable';

export interface UpstreamCounters {
  forwarded(): void;
  clientAborted(): void;
  failed(kind: FailureKind): void;
}

export function gatewayMetrics(
  registry: Registry | undefined,
  upstreams: readonly string[],
): Map<string, UpstreamCounters> {
  const registers = registry ? [registry] : [];
  const forwarded = new Counter({
    name: 'oip_api_gateway_requests_total',
    help: 'Requests forwarded by the gateway, by upstream',
    labelNames: ['upstream'] as const,
    registers,
  });
  const failed = new Counter({
    name: 'oip_api_gateway_upstream_errors_total',
    help: 'Gateway requests that failed at the upstream (timeout, unavailable), by upstream',
    labelNames: ['upstream', 'kind'] as const,
    registers,
  });
  const aborted = new Counter({
    name: 'oip_api_gateway_client_aborts_total',
    help: 'Gateway requests the client left before the answer ended, by upstream',
    labelNames: ['upstream'] as const,
    registers,
  });
  const out = new Map<string, UpstreamCounters>();
  for (const name of upstreams) {
    const f = forwarded.labels(name);
    const a = aborted.labels(name);
    const kinds = { timeout: failed.labels(name, 'timeout'), unavailable: failed.labels(name, 'unavailable') };
    out.set(name, { forwarded: () => f.inc(), clientAborted: () => a.inc(), failed: (kind) => kinds[kind].inc() });
  }
  return out;
}
