#!/usr/bin/env node
// Writes the api's OpenAPI document (the one /docs/json serves) to docs/reference/openapi.json, or
// to the path given as the first argument. `pnpm --filter @oip/api run openapi` builds and runs it.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenapiDocument } from './openapi-document.js';

const target = process.argv[2] ?? fileURLToPath(new URL('../../../docs/reference/openapi.json', import.meta.url));
const document = await buildOpenapiDocument();
await writeFile(target, `${JSON.stringify(document, null, 2)}\n`);
console.log(`openapi: wrote ${target}`);
