// The Elasticsearch image compose.elasticsearch.yaml runs, made locally (no registry is reachable):
// Maven Central's minimal distribution (scripts/elasticsearch-setup.mjs ensureDistribution, the
// version our client speaks) and a JDK >= 21 from this machine, on the locally made Debian base,
// run by a non-root `elasticsearch` user through elasticsearch-entrypoint.sh. Tagged with the name
// the compose file uses (docker.elastic.co/elasticsearch/elasticsearch:<version>); built again only
// when its recipe (this file's Containerfile, the entrypoint, version, JDK) changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { elasticsearchVersion, ensureDistribution, findJavaHome } from '../../scripts/elasticsearch-setup.mjs';

export const ES_IMAGE = 'docker.elastic.co/elasticsearch/elasticsearch';
const ENTRYPOINT = path.join(import.meta.dirname, 'elasticsearch-entrypoint.sh');

const containerfile = (base) => `FROM ${base}
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \\
 && useradd --system --user-group --home-dir /usr/share/elasticsearch --shell /usr/sbin/nologin elasticsearch
COPY jdk /opt/java
COPY --chown=elasticsearch:elasticsearch elasticsearch /usr/share/elasticsearch
COPY elasticsearch-entrypoint.sh /usr/local/bin/elasticsearch-entrypoint.sh
RUN mkdir -p /usr/share/elasticsearch/data /usr/share/elasticsearch/logs \\
 && chown elasticsearch:elasticsearch /usr/share/elasticsearch/data /usr/share/elasticsearch/logs \\
 && printf 'cluster.name: oip-compose\\nnetwork.host: 0.0.0.0\\n' > /usr/share/elasticsearch/config/elasticsearch.yml
ENV ES_JAVA_HOME=/opt/java PATH=/usr/share/elasticsearch/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
 ES_JAVA_OPTS="-Xms512m -Xmx512m"
WORKDIR /usr/share/elasticsearch
USER elasticsearch
EXPOSE 9200 9300
ENTRYPOINT ["/usr/local/bin/elasticsearch-entrypoint.sh"]
`;

/**
 * Builds (when missing or its recipe changed) and returns the image's tag.
 * `run(cmd, args)` runs a step and throws on failure; `work` is a scratch directory.
 */
export function elasticsearchImage({ engine, base, work, run }) {
  const version = elasticsearchVersion();
  const tag = `${ES_IMAGE}:${version}`;
  const javaHome = findJavaHome();
  if (javaHome === null) throw new Error('no JDK >= 21 in ES_JAVA_HOME, JAVA_HOME or /usr/lib/jvm for the image');
  const recipe = createHash('sha256')
    .update([containerfile(base), readFileSync(ENTRYPOINT, 'utf8'), version, javaHome].join('\0'))
    .digest('hex')
    .slice(0, 16);
  const label = spawnSync(engine, ['image', 'inspect', '--format', '{{index .Labels "oip.recipe"}}', tag], {
    encoding: 'utf8',
  });
  if (label.status === 0 && label.stdout.trim() === recipe) return tag;

  const dist = ensureDistribution({ version, log: (line) => console.log(`[images] ${line}`) });
  const dir = path.join(work, `elasticsearch-${version}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    run('cp', ['-a', dist, path.join(dir, 'elasticsearch')]);
    run('cp', ['-a', javaHome, path.join(dir, 'jdk')]);
    // Windows launchers and the cached node's logs stay out of the image.
    run('sh', ['-c', `cd '${dir}/elasticsearch' && rm -rf logs/* bin/*.bat bin/*.exe`]);
    run('cp', ['-a', ENTRYPOINT, path.join(dir, 'elasticsearch-entrypoint.sh')]);
    writeFileSync(path.join(dir, 'Containerfile'), containerfile(base));
    run(engine, [
      'build',
      ...(engine === 'podman' ? ['--format', 'docker'] : []),
      '--label',
      `oip.recipe=${recipe}`,
      '-t',
      tag,
      dir,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tag;
}
