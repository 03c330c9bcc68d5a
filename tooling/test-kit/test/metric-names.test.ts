import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { metricFamilies, metricNameProblems, monitoringMetricNames } from '../src/index.js';

const family = (name: string, type: string) => `# HELP ${name} h\n# TYPE ${name} ${type}\n${name} 1\n`;

describe('metricNameProblems', () => {
  it('accepts the service prefix and Node default metrics', () => {
    const text =
      family('oip_api_http_requests_total', 'counter') +
      family('oip_api_memory_bytes', 'gauge') +
      family('process_cpu_user_seconds_total', 'counter') +
      family('nodejs_heap_size_used_bytes', 'gauge');
    expect(metricNameProblems(text, 'oip_api_')).toEqual([]);
    expect([...metricFamilies(text).keys()]).toHaveLength(4);
  });

  it('names each break of the scheme', () => {
    const text =
      family('gunproxy_gun_chains', 'gauge') +
      family('oip_api_hits', 'counter') +
      family('oip_api_writes_total', 'gauge') +
      family('oip_api_x_bytes', 'gauge') +
      family('oip_api_x_bytes', 'gauge');
    expect(metricNameProblems(text, 'oip_api_')).toEqual([
      'gunproxy_gun_chains: neither oip_api_… nor a Node default metric',
      'oip_api_hits: a counter without _total',
      'oip_api_writes_total: a gauge named _total',
      'oip_api_x_bytes: declared twice',
    ]);
  });

  it('reports a text without families', () => {
    expect(metricNameProblems('', 'oip_api_')).toEqual(['no metric families in the text']);
  });
});

describe('monitoringMetricNames', () => {
  it('lists the names the alert rules and dashboards query, histogram series reduced to their family', () => {
    const names = monitoringMetricNames(fileURLToPath(new URL('../../../', import.meta.url)));
    for (const n of [
      'process_resident_memory_bytes',
      'oip_sync_dead_total',
      'oip_sync_inflight',
      'oip_gunproxy_http_requests_total',
      'oip_sync_stage_seconds',
    ])
      expect(names).toContain(n);
    expect([...names].filter((n) => /_(bucket|sum|count)$/.test(n) || !/^(oip|process|nodejs)_/.test(n))).toEqual([]);
  });
});
