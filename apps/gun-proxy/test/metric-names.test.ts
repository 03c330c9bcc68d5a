// /metrics follows the naming scheme (oip_gunproxy_…, Node's defaults under their standard names,
// each family once, counters _total), and exports every gun-proxy and Node metric the alert rules
// and the Grafana dashboard of infra/ query.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isNodeDefaultMetric, metricFamilies, metricNameProblems, monitoringMetricNames } from '@oip/test-kit';
import { http, useProxies } from './helpers.js';

const start = useProxies();
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('metric names', () => {
  it('follow the scheme and cover what the alert rules and dashboard read', async () => {
    const p = await start();
    await http(p.url, 'POST', '/put', { soul: 'abc:m1', data: { a: 1 } });
    const res = await http(p.url, 'GET', '/metrics');
    expect(res.status).toBe(200);
    const text = res.body as string;
    expect(metricNameProblems(text, 'oip_gunproxy_')).toEqual([]);
    const families = metricFamilies(text);
    expect(families.get('oip_gunproxy_ws_dropped_messages_total')).toBe('counter');
    expect(families.get('process_resident_memory_bytes')).toBe('gauge');
    const wanted = [...monitoringMetricNames(REPO)].filter(
      (n) => n.startsWith('oip_gunproxy_') || isNodeDefaultMetric(n),
    );
    expect(wanted.length).toBeGreaterThan(3);
    expect(wanted.filter((n) => !families.has(n))).toEqual([]);
  });
});
