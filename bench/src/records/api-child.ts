// The api in its own process (forked by api-process.ts) over an existing SQLite store directory,
// so the load generator's CPU is not charged to the server. argv: `<dataDir> <relayUrl>`.
// Sends `{ kind: 'ready', url }`; IPC 'close' (or the parent going away) closes and exits.
import { buildApp, parseConfig } from '@oip/api';
import { createSqliteRecordStore } from '@oip/record-store';

const [dir = '', relayUrl = 'http://127.0.0.1:9'] = process.argv.slice(2);
const store = createSqliteRecordStore({ dataDir: dir });
const app = buildApp(parseConfig({ port: 0, store: { kind: 'sqlite', dataDir: dir }, relayUrl, logLevel: 'silent', maxResolveNodes: 10_000 }), { store });
await app.listen({ port: 0, host: '127.0.0.1' });

let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await app.close();
  await store.close();
  process.exit(0);
}
process.on('message', (msg: unknown) => {
  if (msg === 'close') void close();
});
process.on('disconnect', () => void close());
process.send?.({ kind: 'ready', url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` });
