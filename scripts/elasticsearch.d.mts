// Types of scripts/elasticsearch.mjs, for TypeScript tests and benchmarks that import it.

export interface StartElasticsearchOptions {
  /** e.g. '7.17.8' (the legacy node's). @defaultValue the client's version, from the pnpm catalog */
  version?: string;
  /** @defaultValue 1 */
  nodes?: number;
  /** -Xms/-Xmx of each node. @defaultValue '512m' */
  heap?: string;
  /** Where node dirs go; a temp dir removed by stop() when omitted. */
  dir?: string;
  /** First HTTP port (+1 a node; transport ports from port + 100); free ports when omitted. */
  port?: number;
  /** Keep it fixed to restart over the same data. @defaultValue random */
  clusterName?: string;
  /** More elasticsearch.yml settings for every node. */
  settings?: Record<string, unknown>;
  /** @defaultValue 180000 */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface ElasticsearchNode {
  readonly name: string;
  readonly dir: string;
  readonly httpPort: number;
  readonly transportPort: number;
  readonly url: string;
  /** The node's process group id while it runs, else null. */
  readonly pid: number | null;
  running(): boolean;
  /** Launches the node (again, over the same data); does not wait for it. */
  start(): void;
  /** SIGTERM to the node's process tree, SIGKILL after `timeoutMs`; resolves once it is gone. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL to the node's process tree; resolves once it is gone. */
  kill(): Promise<void>;
  logTail(lines?: number): string;
}

export interface ClusterHealth {
  status: 'green' | 'yellow' | 'red';
  number_of_nodes: number;
  [key: string]: unknown;
}

export interface ElasticsearchCluster {
  readonly version: string;
  readonly url: string;
  readonly urls: string[];
  readonly dir: string;
  readonly nodes: ElasticsearchNode[];
  /** A throwing, bounded wait until the cluster is at least `status` with `nodes` nodes. */
  waitForHealth(w?: { status?: 'green' | 'yellow'; nodes?: number; timeoutMs?: number }): Promise<ClusterHealth>;
  stop(): Promise<void>;
}

export function startElasticsearch(options?: StartElasticsearchOptions): Promise<ElasticsearchCluster>;
export function stopNodesUnder(dir: string): Promise<number>;
export function liveNodesUnder(dir: string): number;
/** What stops a local Elasticsearch here, as one line, or null when nothing does. */
export function elasticsearchMissing(o?: {
  env?: NodeJS.ProcessEnv;
  cacheDir?: string;
  version?: string;
}): string | null;
export function elasticsearchVersion(root?: string): string;
