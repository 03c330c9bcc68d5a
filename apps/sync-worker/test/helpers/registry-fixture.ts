// A large registry index written straight into a relay's store, the way a legacy publisher's
// `gun.get(index).get(soul).put({...})` lays it out: the index node holds one link per entry,
// `{ "#": "<index>/<soul>" }`, and each entry is its own node.
import { buildRecordSoul, didFromSoul, registryIndexSoul } from '@oip/records';
import type { RelayStore } from '@oip/fake-relay';

export const OWN_NODE = 'bbbbbbbbbbbbbbbb';
export const OTHER_NODE = 'aaaaaaaaaaaaaaaa';

export interface IndexEntrySpec {
  soul: string;
  did: string;
  nodeId: string;
  timestamp: number;
}

/** Entry i: every 10th is our own node's; timestamps distinct. */
export function entrySpec(i: number, recordType = 'image'): IndexEntrySpec {
  const soul = buildRecordSoul({ publisherPublicKey: 'bulk-publisher', localId: `${recordType}-${i}` });
  return {
    soul,
    did: didFromSoul(soul),
    nodeId: i % 10 === 0 ? OWN_NODE : OTHER_NODE,
    timestamp: 1_700_000_000_000 + i,
  };
}

/** Rows for gun-proxy's GraphStore (SQLite, one row per soul/key) for `count` linked entries. */
export function graphRows(
  count: number,
  recordType = 'image',
  state = Date.now(),
): Array<{ soul: string; key: string; value: string | number | { '#': string }; state: number }> {
  const index = registryIndexSoul(recordType);
  const rows: Array<{ soul: string; key: string; value: string | number | { '#': string }; state: number }> = [];
  for (let i = 0; i < count; i++) {
    const e = entrySpec(i, recordType);
    const child = `${index}/${e.soul}`;
    rows.push({ soul: index, key: e.soul, value: { '#': child }, state });
    rows.push(
      { soul: child, key: 'soul', value: e.soul, state },
      { soul: child, key: 'nodeId', value: e.nodeId, state },
      { soul: child, key: 'timestamp', value: e.timestamp, state },
    );
  }
  return rows;
}

/** The same layout in the fake relay's store (what a legacy relay answers: entries as links). */
export function writeLinkedIndex(store: RelayStore, count: number, recordType = 'image', from = 0): void {
  const index = registryIndexSoul(recordType);
  const links: Record<string, unknown> = {};
  for (let i = from; i < from + count; i++) {
    const e = entrySpec(i, recordType);
    const child = `${index}/${e.soul}`;
    store.put(child, { soul: e.soul, nodeId: e.nodeId, timestamp: e.timestamp });
    links[e.soul] = { '#': child };
  }
  store.put(index, links);
}

/**
 * Registers `count` entries as a legacy publisher does (`gun.get(index).put({ [soul]: {...} })`),
 * in chunks: a relay in legacy mode keeps each entry as a child node and answers it as a link.
 */
export function writeNestedIndex(store: RelayStore, count: number, recordType = 'image'): void {
  const index = registryIndexSoul(recordType);
  for (let from = 0; from < count; from += 1000) {
    const part: Record<string, unknown> = {};
    for (let i = from; i < Math.min(count, from + 1000); i++) {
      const e = entrySpec(i, recordType);
      part[e.soul] = { soul: e.soul, nodeId: e.nodeId, timestamp: e.timestamp };
    }
    store.put(index, part);
  }
}
