// /metrics follows the naming scheme (oip_sync_…, Node's defaults under their standard names, each
// family once, counters _total), and exports every sync and Node metric the alert rules and the
// Grafana dashboard of infra/ query.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryGuard } from '@oip/memory-guard';
import {
  isNodeDefaultMetric,
  legacyRecord,
  metricFamilies,
  metricNameProblems,
  monitoringMetricNames,
} from '@oip/test-kit';
import { seed } from './helpers/records.js';
import { useWorkerRun } from './helpers/worker-run.js';

const run = useWorkerRun();
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('metric names', () => {
  it('follow the scheme and cover what the alert rules and dashboard read', async () => {
    await seed(run.relay.store, [{ localId: 'n1', record: legacyRecord('n1') }]);
    // The guard's gauges and Node's default metrics come with a memory guard (main.ts runs one).
    const guard = new MemoryGuard();
    let text: string;
    try {
      const w = await run.start({ healthPort: 0 }, { memoryGuard: guard, processMetrics: true });
      guard.sample();
      await w.discoverNow();
      await w.waitIdle(10_000);
      text = await (await fetch(`${w.healthUrl()}/metrics`)).text();
      await run.stop();
    } finally {
      guard.close();
    }
    expect(metricNameProblems(text, 'oip_sync_')).toEqual([]);
    const families = metricFamilies(text);
    expect(families.get('oip_sync_indexed_total')).toBe('counter');
    expect(families.get('oip_sync_inflight')).toBe('gauge');
    expect(families.get('oip_sync_memory_guard_status')).toBe('gauge');
    expect(families.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    const wanted = [...monitoringMetricNames(REPO)].filter((n) => n.startsWith('oip_sync_') || isNodeDefaultMetric(n));
    expect(wanted.length).toBeGreaterThan(5);
    expect(wanted.filter((n) => !families.has(n))).toEqual([]);
  });
});
