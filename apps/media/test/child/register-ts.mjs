// `node --import ./register-ts.mjs child.ts`: installs ts-loader.mjs for a test child process.
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);
