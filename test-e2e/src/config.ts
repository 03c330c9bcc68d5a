// The environment the e2e harness reads (the only file in src/ that reads process.env).
export const e2eConfig = {
  /** What every started process gets (nothing else of the test's environment is passed). */
  baseEnv: {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/root',
    LANG: 'C.UTF-8',
  },
  /** OIP_E2E_SKIP_BUILD=1: the apps' dist is current, skip the turbo build. */
  skipBuild: process.env['OIP_E2E_SKIP_BUILD'] === '1',
  /** OIP_E2E_NETNS=0: loopback even where namespaces are permitted. */
  forceLoopback: process.env['OIP_E2E_NETNS'] === '0',
  /** OIP_E2E_KEEP=1: keep the nodes' data and logs. */
  keepDir: process.env['OIP_E2E_KEEP'] === '1',
  /** An Elasticsearch to use instead of starting one (single-node suites only). */
  elasticsearchUrl: process.env['ELASTICSEARCH_URL'] || undefined,
  /** CI: a suite that cannot have what it needs fails instead of skipping. */
  ci: Boolean(process.env['CI']),
};

/** The build's environment: the test's own, telemetry off. */
export const buildEnv = (): NodeJS.ProcessEnv => ({ ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' });
