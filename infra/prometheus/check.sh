#!/usr/bin/env bash
# Checks the Prometheus and Grafana files: the scrape config, the alert rules, the rules' unit tests
# (tests/*.yaml, each alert firing and staying quiet), and that every query of the Grafana
# dashboards parses as PromQL. Needs promtool (Debian's package prometheus) and node.
set -euo pipefail
cd "$(dirname "$0")"
command -v promtool >/dev/null 2>&1 || { echo "[prometheus] promtool not found (apt-get install prometheus)" >&2; exit 1; }
promtool check rules alerts.yml
promtool check config prometheus.yml
promtool test rules tests/*.yaml

# The dashboards' queries, as recording rules promtool parses ($__ variables are not used).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node - ../grafana/dashboards/*.json >"$tmp/dashboard-queries.yml" <<'JS'
const { readFileSync } = require('node:fs');
const exprs = [];
const walk = (v) => {
  if (Array.isArray(v)) v.forEach(walk);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === 'expr' ? exprs.push(x) : walk(x);
};
for (const f of process.argv.slice(2)) walk(JSON.parse(readFileSync(f, 'utf8')));
if (exprs.length === 0) throw new Error('no queries in the dashboards');
console.log('groups:\n  - name: dashboard-queries\n    rules:');
exprs.forEach((e, i) => console.log(`      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(e)}`));
JS
promtool check rules "$tmp/dashboard-queries.yml"
