// Runs the fake legacy relay in its own process (forked by relay-process.ts), so the relay's
// CPU is not charged to the worker being measured. Seeds itself from argv:
// `<count> <conflict: all|none>`; answers IPC 'counts' with request counts.
import { startFakeRelay } from '@oip/fake-relay';
import { seedRelay } from './sync-fixture.js';

const count = Number(process.argv[2] ?? 0);
const conflict = process.argv[3] === 'all';
const relay = await startFakeRelay();
seedRelay(relay, count, () => conflict);

process.on('message', (msg: unknown) => {
  if (msg === 'counts') {
    process.send?.({
      kind: 'counts',
      total: relay.requestCount,
      get: relay.countByPath('/get'),
      records: relay.log().filter((e) => /^[0-9a-f]{12}:/.test(e.soul ?? '')).length,
    });
  } else if (msg === 'reset') {
    relay.resetCounts();
    process.send?.({ kind: 'reset' });
  } else if (msg === 'close') {
    void relay.close().then(() => process.exit(0));
  }
});
process.send?.({ kind: 'ready', url: relay.url });
