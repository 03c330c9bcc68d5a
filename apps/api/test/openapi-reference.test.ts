// docs/reference/openapi.json (what @oip/client is generated from) is the document the api serves:
// after a route or schema change, `pnpm --filter @oip/api run openapi` writes it again.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildOpenapiDocument } from '../src/openapi-document.js';
import { useApi } from './helpers.js';

const REFERENCE = new URL('../../../docs/reference/openapi.json', import.meta.url);
const start = useApi();

describe('docs/reference/openapi.json', () => {
  it('is the document the app generates (run `pnpm --filter @oip/api run openapi` after a change)', async () => {
    const committed: unknown = JSON.parse(await readFile(REFERENCE, 'utf8'));
    expect(committed).toEqual(await buildOpenapiDocument());
  });

  it('is what a running api serves at /docs/json, whatever its config', async () => {
    const { app } = await start([], {
      jwtSecret: 'openapi-reference-secret-0123456789',
      mediaUrl: 'http://127.0.0.1:3999',
    });
    const served: unknown = (await app.inject('/docs/json')).json();
    expect(served).toEqual(await buildOpenapiDocument());
  });
});
