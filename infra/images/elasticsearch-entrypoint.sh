#!/bin/bash
# Entrypoint of the locally built Elasticsearch image (infra/images/elasticsearch-image.mjs), with
# the environment contract of Elastic's own image as far as compose.elasticsearch.yaml uses it:
# - every variable whose name has a dot (discovery.type, xpack.security.enabled, ...) becomes a
#   `-E name=value` setting;
# - ELASTIC_PASSWORD becomes bootstrap.password in the keystore: the elastic user's password
#   when the node first initialises its security index (a later change needs the reset tool);
# - ES_JAVA_OPTS (the heap) is read by bin/elasticsearch itself.
set -euo pipefail
cd /usr/share/elasticsearch

if [ -n "${ELASTIC_PASSWORD:-}" ]; then
  [ -f config/elasticsearch.keystore ] || bin/elasticsearch-keystore create >/dev/null
  printf '%s' "$ELASTIC_PASSWORD" | bin/elasticsearch-keystore add -x -f bootstrap.password
fi

settings=()
while IFS= read -r -d '' pair; do
  name=${pair%%=*}
  if [[ "$name" =~ ^[a-z0-9_-]+(\.[a-z0-9_-]+)+$ ]]; then settings+=(-E "$pair"); fi
done < <(env -0)

exec bin/elasticsearch "${settings[@]}" "$@"
