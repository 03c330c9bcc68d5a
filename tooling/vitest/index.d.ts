import type { ViteUserConfig } from 'vitest/config';

/** The shared vitest settings merged with per-workspace overrides. */
export declare function defineOipConfig(overrides?: ViteUserConfig): ViteUserConfig;
