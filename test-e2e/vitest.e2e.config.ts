// `pnpm --filter @oip/test-e2e test:e2e`: the long multi-process suites (two whole nodes with
// faults, sync on a Redis Cluster). Minutes each, so not in the default test command; .ci/run runs it.
import { defineOipConfig } from '@oip/vitest-config';

const config = defineOipConfig({ test: { fileParallelism: false, testTimeout: 300_000, hookTimeout: 300_000 } });
// mergeConfig would add to the default include (test/**); this task runs e2e/** alone.
config.test = { ...config.test, include: ['e2e/**/*.test.ts'] };
export default config;
