import { defineOipConfig } from '@oip/vitest-config';

export default defineOipConfig();
