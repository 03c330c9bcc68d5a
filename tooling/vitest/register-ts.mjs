// `node --import @oip/vitest-config/register-ts child.ts`: installs ts-loader.mjs for a test child
// process (packages and apps that run their TypeScript sources in a child of a test).
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);
