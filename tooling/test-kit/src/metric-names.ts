// The metric naming scheme every service follows, checked on a scraped /metrics text: each family
// is `oip_<service>_…` or one of Node's default metrics (prom-client's collectDefaultMetrics, under
// their standard `process_` / `nodejs_` names), declared once, counters end in `_total` and only
// counters do. And the names the alert rules and Grafana dashboards of infra/ query, so a test
// of each service can check that what they read is what it exports.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Names of Node's default metrics (prom-client) start with one of these. */
const NODE_DEFAULT_PREFIXES = ['process_', 'nodejs_'];

/** The families of a Prometheus text exposition: name → type, in the order of their `# TYPE` lines. */
export function metricFamilies(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** Whether `name` is one of Node's default metrics. */
export function isNodeDefaultMetric(name: string): boolean {
  return NODE_DEFAULT_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * What breaks the scheme in `text` (one line per problem; empty when none): `prefix` is the
 * service's, e.g. `oip_api_`.
 */
export function metricNameProblems(text: string, prefix: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!m) continue;
    const [, name, type] = m as unknown as [string, string, string];
    if (seen.has(name)) problems.push(`${name}: declared twice`);
    seen.add(name);
    const node = isNodeDefaultMetric(name);
    if (!node && !(name.startsWith(prefix) && /^[a-z][a-z0-9_]*[a-z0-9]$/.test(name)))
      problems.push(`${name}: neither ${prefix}… nor a Node default metric`);
    if (type === 'counter' && !name.endsWith('_total')) problems.push(`${name}: a counter without _total`);
    if (!node && type !== 'counter' && name.endsWith('_total')) problems.push(`${name}: a ${type} named _total`);
  }
  if (seen.size === 0) problems.push('no metric families in the text');
  return problems;
}

/** Metric names a PromQL expression reads (`_bucket`/`_sum`/`_count` reduced to their family). */
function namesIn(expr: string): string[] {
  const out: string[] = [];
  for (const m of expr.matchAll(/\b(?:oip|process|nodejs)_[a-z0-9_]*[a-z0-9]\b/g))
    out.push(m[0].replace(/_(bucket|sum|count)$/, ''));
  return out;
}

/**
 * The metric names queried by infra/prometheus/alerts.yml (its `expr:` lines) and the Grafana
 * dashboards of infra/grafana/dashboards (their `expr` fields), under `repoRoot`.
 */
export function monitoringMetricNames(repoRoot: string): Set<string> {
  const names = new Set<string>();
  const rules = readFileSync(path.join(repoRoot, 'infra/prometheus/alerts.yml'), 'utf8');
  // An expr is one line or a `|` block: the indented lines after it.
  let inExpr = false;
  for (const line of rules.split('\n')) {
    const m = /^\s*expr:\s*(.*)$/.exec(line);
    if (m) inExpr = true;
    else if (/^\s*[a-z_]+:/.test(line)) inExpr = false;
    if (inExpr) for (const n of namesIn(m ? m[1]! : line)) names.add(n);
  }
  const dir = path.join(repoRoot, 'infra/grafana/dashboards');
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'expr' && typeof x === 'string') for (const n of namesIn(x)) names.add(n);
        else walk(x);
      }
  };
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')))
    walk(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
  return names;
}
