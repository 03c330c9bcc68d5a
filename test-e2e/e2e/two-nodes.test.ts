// Two whole OIP nodes as OS processes (src/node-harness.ts), each in its own network namespace
// (or, where namespaces are not permitted, on loopback behind a forwarder the test can cut), with
// faults injected, on SQLite. Node A publishes through its api; node B discovers through its own
// gun-proxy, peered with A's over websocket. After every scenario: B's sync counters balance
// exactly and B's store, read through B's api, holds exactly the records A has published and not
// deleted (src/two-node-run.ts). The same sync scenarios on Elasticsearch:
// two-nodes-elasticsearch.test.ts.
import { describe, it } from 'vitest';
import { faultScenarios } from '../src/two-node-fault-scenarios.js';
import { useTwoNodes } from '../src/two-node-run.js';
import { syncScenarios } from '../src/two-node-scenarios.js';

const run = useTwoNodes('two-nodes');

describe('two whole nodes, faults injected', () => {
  for (const s of [...syncScenarios, ...faultScenarios].sort((x, y) => x.id - y.id)) {
    it(`${s.id}. ${s.title}`, () => run.timed(`scenario ${s.id}`, () => s.run(run)), s.timeoutMs);
  }
});
