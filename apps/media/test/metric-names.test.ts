// /metrics follows the naming scheme (oip_media_…, Node's defaults under their standard names, each
// family once, counters _total), and exports every media and Node metric the alert rules and the
// Grafana dashboard of infra/ query.
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { isNodeDefaultMetric, metricFamilies, metricNameProblems, monitoringMetricNames } from '@oip/test-kit';
import { useMedia } from './helpers.js';

const start = useMedia();
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('metric names', () => {
  it('follow the scheme and cover what the alert rules and dashboard read', async () => {
    const m = await start();
    const res = await request(`${m.url}/metrics`);
    expect(res.statusCode).toBe(200);
    const text = await res.body.text();
    expect(metricNameProblems(text, 'oip_media_')).toEqual([]);
    const families = metricFamilies(text);
    expect(families.get('oip_media_uploads_total')).toBe('counter');
    expect(families.get('process_resident_memory_bytes')).toBe('gauge');
    const wanted = [...monitoringMetricNames(REPO)].filter((n) => n.startsWith('oip_media_') || isNodeDefaultMetric(n));
    expect(wanted.length).toBeGreaterThan(2);
    expect(wanted.filter((n) => !families.has(n))).toEqual([]);
  });
});
