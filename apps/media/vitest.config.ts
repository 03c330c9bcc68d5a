import { defineOipConfig } from '@oip/vitest-config';

// The migration tests run dist/cli.js: built once before the files start (test/migrate/build-dist.ts).
export default defineOipConfig({ test: { globalSetup: ['test/migrate/build-dist.ts'] } });
