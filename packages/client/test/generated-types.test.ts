// "Compiles against the document": the committed types (src/generated/openapi.ts) are what the
// api's committed OpenAPI document (docs/reference/openapi.json) gives today. When a route's schema
// changes and the document is regenerated, this fails until `pnpm --filter @oip/client run generate`
// is run and the client, the examples and the e2e helpers typecheck against the new types.
import { describe, expect, it } from 'vitest';
import { generateTypes, readDocument, typesAreCurrent } from '../scripts/generate-types.js';

describe('src/generated/openapi.ts', () => {
  it('is what docs/reference/openapi.json generates', async () => {
    expect(await typesAreCurrent(await readDocument())).toBe(true);
  });

  it('differs from what a document with one more route generates', async () => {
    const document = await readDocument();
    document.paths = {
      ...document.paths,
      '/api/added-route': { get: { responses: { '200': { description: 'added' } } } },
    };
    expect(await typesAreCurrent(document)).toBe(false);
    expect(await generateTypes(document)).toContain("'/api/added-route': {");
  });
});
