// Generates src/generated/openapi.ts, the client's types, from the api's OpenAPI document
// (docs/reference/openapi.json, which `pnpm --filter @oip/api run openapi` writes) with
// openapi-typescript, formatted by the repository's prettier settings.
//   pnpm --filter @oip/client run generate            writes the file
//   pnpm --filter @oip/client run generate --check    exits 1 when the file differs from what the document gives
// A document path may follow (default: the repository's). test/generated-types.test.ts runs the check.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import * as prettier from 'prettier';
import ts from 'typescript';

export const DOCUMENT_PATH = fileURLToPath(new URL('../../../docs/reference/openapi.json', import.meta.url));
export const TYPES_PATH = fileURLToPath(new URL('../src/generated/openapi.ts', import.meta.url));

const HEADER = `// Generated from docs/reference/openapi.json by \`pnpm --filter @oip/client run generate\`
// (openapi-typescript). Do not edit: change the api's route schemas, regenerate the document, then this.
`;

/** The TypeScript the document gives, formatted as committed. */
export async function generateTypes(document: OpenAPI3): Promise<string> {
  const nodes = await openapiTS(document, {
    silent: true,
    // Binary content (an upload's file: OpenAPI 3.1's contentMediaType, 3.0's format binary) is a Blob.
    transform: (schema) =>
      'type' in schema && schema.type === 'string' && ('contentMediaType' in schema || schema.format === 'binary')
        ? ts.factory.createTypeReferenceNode('Blob')
        : undefined,
  });
  const source = HEADER + astToString(nodes);
  const options = (await prettier.resolveConfig(TYPES_PATH)) ?? {};
  return prettier.format(source, { ...options, filepath: TYPES_PATH });
}

export async function readDocument(path = DOCUMENT_PATH): Promise<OpenAPI3> {
  return JSON.parse(await readFile(path, 'utf8')) as OpenAPI3;
}

/** Whether the committed types are what `document` gives. */
export async function typesAreCurrent(document: OpenAPI3): Promise<boolean> {
  const committed = await readFile(TYPES_PATH, 'utf8').catch(() => '');
  return committed === (await generateTypes(document));
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const documentPath = argv.find((a) => !a.startsWith('--')) ?? DOCUMENT_PATH;
  const document = await readDocument(documentPath);
  if (check) {
    if (await typesAreCurrent(document)) return 0;
    console.error(`${TYPES_PATH} is not what ${documentPath} gives: run pnpm --filter @oip/client run generate`);
    return 1;
  }
  await writeFile(TYPES_PATH, await generateTypes(document));
  console.log(`generate: wrote ${TYPES_PATH}`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = await main(process.argv.slice(2));
