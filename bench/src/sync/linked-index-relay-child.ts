// The fake legacy relay in its own process, holding a registry index the way a legacy relay
// answers it: one link per entry (`{ "#": "<index>/<soul>" }`), each entry its own node. Argv:
// `<entries> <recordType>`; every 10th entry is node `bbbbbbbbbbbbbbbb`'s (the worker's own).
import { startFakeRelay } from '@oip/fake-relay';
import { buildRecordSoul, registryIndexSoul } from '@oip/records';

const count = Number(process.argv[2] ?? 0);
const recordType = process.argv[3] ?? 'image';
const relay = await startFakeRelay({ maxSouls: count + 10 });
const index = registryIndexSoul(recordType);
const links: Record<string, unknown> = {};
for (let i = 0; i < count; i++) {
  const soul = buildRecordSoul({ publisherPublicKey: 'bench-registry', localId: `${recordType}-${i}` });
  relay.store.put(`${index}/${soul}`, {
    soul,
    nodeId: i % 10 === 0 ? 'bbbbbbbbbbbbbbbb' : 'aaaaaaaaaaaaaaaa',
    timestamp: 1_700_000_000_000 + i,
  });
  links[soul] = { '#': `${index}/${soul}` };
}
relay.store.put(index, links);

process.on('message', (msg: unknown) => {
  if (msg === 'close') void relay.close().then(() => process.exit(0));
});
process.send?.({ kind: 'ready', url: relay.url });
