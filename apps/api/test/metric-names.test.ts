// /metrics follows the naming scheme (oip_api_…, Node's defaults under their standard names, each
// family once, counters _total), and exports every api and Node metric the alert rules and the
// Grafana dashboard of infra/ query.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isNodeDefaultMetric, metricFamilies, metricNameProblems, monitoringMetricNames } from '@oip/test-kit';
import { useApi } from './helpers.js';

const start = useApi();
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('metric names', () => {
  it('follow the scheme and cover what the alert rules and dashboard read', async () => {
    const { app } = await start();
    await app.inject({ url: '/api/records' });
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(metricNameProblems(res.body, 'oip_api_')).toEqual([]);
    const families = metricFamilies(res.body);
    expect(families.get('oip_api_gateway_upstream_errors_total')).toBe('counter');
    expect(families.get('process_resident_memory_bytes')).toBe('gauge');
    const wanted = [...monitoringMetricNames(REPO)].filter((n) => n.startsWith('oip_api_') || isNodeDefaultMetric(n));
    expect(wanted.length).toBeGreaterThan(3);
    expect(wanted.filter((n) => !families.has(n))).toEqual([]);
  });
});
