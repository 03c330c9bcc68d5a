// Shared vitest settings: real components, explicit imports, source of sibling packages.
import { defineConfig, mergeConfig } from 'vitest/config';

const base = defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    globals: false,
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Memory assertions need a deterministic GC.
    execArgv: ['--expose-gc'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    restoreMocks: true,
  },
});

/** @param {import('vitest/config').ViteUserConfig} [overrides] */
export function defineOipConfig(overrides = {}) {
  return mergeConfig(base, overrides);
}
