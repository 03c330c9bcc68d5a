// Where the two nodes live and how they reach each other. Preferred: one network namespace per
// node (each on the default ports, the A↔B link a veth pair a partition takes down). Fallback,
// where `ip netns add` is not permitted: every process on 127.0.0.1 with distinct ports, and the
// A↔B link made of TcpForwarders in front of each node's gun-proxy and api that a partition cuts.
import { freePort } from '@oip/fake-relay/process-group';
import { createNetnsTopology, sweepStaleNamespaces, type NetnsTopology } from './netns.js';
import { TcpForwarder } from './tcp-forwarder.js';

export type NodeName = 'a' | 'b';

export interface NodePorts {
  api: number;
  media: number;
  gun: number;
  redis: number;
  /** One health port per sync-worker process. */
  workerHealth: [number, number];
}

export interface NodeLink {
  readonly mode: 'netns' | 'loopback';
  /** Why the fallback was taken (null in netns mode). */
  readonly fallbackReason: string | null;
  /** The namespace a node's processes run in (null: the test's own). */
  ns(node: NodeName): string | null;
  /** Address the node's services listen on. */
  readonly bindHost: string;
  /** Address the test process dials to reach a node. */
  testHost(node: NodeName): string;
  ports(node: NodeName): NodePorts;
  /** `host:port` of a node's gun-proxy or api as the other node dials it. */
  fromPeer(node: NodeName, service: 'gun' | 'api'): string;
  partition(): Promise<void>;
  heal(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_PORTS: NodePorts = { api: 3005, media: 3006, gun: 8765, redis: 6379, workerHealth: [9465, 9466] };

async function loopbackPorts(): Promise<NodePorts> {
  return {
    api: await freePort(),
    media: await freePort(),
    gun: await freePort(),
    redis: await freePort(),
    workerHealth: [await freePort(), await freePort()],
  };
}

function netnsLink(t: NetnsTopology): NodeLink {
  return {
    mode: 'netns',
    fallbackReason: null,
    ns: (node) => (node === 'a' ? t.nsA : t.nsB),
    bindHost: '0.0.0.0',
    testHost: (node) => (node === 'a' ? t.hostSideA : t.hostSideB),
    ports: () => DEFAULT_PORTS,
    fromPeer: (node, service) => `${node === 'a' ? t.linkA : t.linkB}:${DEFAULT_PORTS[service]}`,
    partition: () => t.partition(),
    heal: () => t.heal(),
    close: () => t.destroy(),
  };
}

async function loopbackLink(reason: string): Promise<NodeLink> {
  const ports = { a: await loopbackPorts(), b: await loopbackPorts() };
  const forwarders = {
    a: { gun: await TcpForwarder.start(ports.a.gun), api: await TcpForwarder.start(ports.a.api) },
    b: { gun: await TcpForwarder.start(ports.b.gun), api: await TcpForwarder.start(ports.b.api) },
  };
  const all = [forwarders.a.gun, forwarders.a.api, forwarders.b.gun, forwarders.b.api];
  return {
    mode: 'loopback',
    fallbackReason: reason,
    ns: () => null,
    bindHost: '127.0.0.1',
    testHost: () => '127.0.0.1',
    ports: (node) => ports[node],
    fromPeer: (node, service) => `127.0.0.1:${forwarders[node][service].port}`,
    partition: async () => all.forEach((f) => f.cut()),
    heal: async () => all.forEach((f) => f.restore()),
    close: async () => {
      for (const f of all) await f.close();
    },
  };
}

/**
 * Namespaces when permitted (after sweeping namespaces a dead earlier run left), else the loopback
 * fallback; `forceLoopback` skips the attempt.
 */
export async function createNodeLink(opts: { forceLoopback?: boolean } = {}): Promise<NodeLink> {
  if (opts.forceLoopback) return loopbackLink('forced (OIP_E2E_NETNS=0)');
  try {
    await sweepStaleNamespaces();
    return netnsLink(await createNetnsTopology());
  } catch (err) {
    return loopbackLink(`ip netns unavailable: ${(err as Error).message.split('\n')[0]}`);
  }
}
