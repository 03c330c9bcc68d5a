// The api in its own process (forked by api-process.ts) over an existing SQLite store directory,
// so the load generator's CPU is not charged to the server. argv: `<dataDir> <relayUrl> [totalCap]`.
import { buildApp, parseConfig } from '@oip/api';
import { createSqliteRecordStore } from '@oip/record-store';
import { serveInChild } from '../child/forked-server.js';

const [dir = '', relayUrl = 'http://127.0.0.1:9', cap] = process.argv.slice(2);
const store = createSqliteRecordStore({ dataDir: dir });
const app = buildApp(
  parseConfig({
    port: 0,
    store: { kind: 'sqlite', dataDir: dir },
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
