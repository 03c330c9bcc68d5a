#!/usr/bin/env bash
# Checks the Prometheus files: the scrape config, the alert rules, and the rules' unit tests
# (tests/*.yaml, each alert firing and staying quiet). Needs promtool (Debian's package prometheus).
set -euo pipefail
cd "$(dirname "$0")"
command -v promtool >/dev/null 2>&1 || { echo "[prometheus] promtool not found (apt-get install prometheus)" >&2; exit 1; }
promtool check rules alerts.yml
promtool check config prometheus.yml
promtool test rules tests/*.yaml
