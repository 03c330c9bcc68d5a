// `pnpm test:compose`: the compose smoke test only (minutes: image builds and containers).
import { defineOipConfig } from '@oip/vitest-config';

const config = defineOipConfig({ test: { fileParallelism: false } });
// mergeConfig would add to the default include (test/**); this task runs compose/** alone.
config.test = { ...config.test, include: ['compose/**/*.test.ts'] };
export default config;
