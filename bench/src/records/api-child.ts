// The api in its own process (forked by api-process.ts) over an existing store, so the load
// generator's CPU is not charged to the server. argv: `<store> <relayUrl> [totalCap]`, where
// <store> is a SQLite data directory or a StoreConfig as JSON (`{"kind":"elasticsearch",…}`).
import { buildApp, parseConfig } from '@oip/api';
import { createRecordStore, type StoreConfig } from '@oip/record-store';
import { serveInChild } from '../child/forked-server.js';

const [storeArg = '', relayUrl = 'http://127.0.0.1:9', cap] = process.argv.slice(2);
const storeConfig: StoreConfig = storeArg.startsWith('{')
  ? (JSON.parse(storeArg) as StoreConfig)
  : { kind: 'sqlite', dataDir: storeArg };
const store = createRecordStore(storeConfig);
const app = buildApp(
  parseConfig({
    port: 0,
    store: storeConfig,
    relayUrl,
    logLevel: 'silent',
    maxResolveNodes: 10_000,
    ...(cap === undefined ? {} : { recordsTotalCap: Number(cap) }),
  }),
  { store },
);
await app.listen({ port: 0, host: '127.0.0.1' });
serveInChild((app.server.address() as { port: number }).port, async () => {
  await app.close();
  await store.close();
});
