// The in-memory Elasticsearch lives in src/testing (exported as @oip/record-store/testing).
export { createEsFake } from '../../src/testing/index.js';
export type { EsFake, EsFakeOptions } from '../../src/testing/index.js';
export { matches } from '../../src/testing/es-fake-query.js';
