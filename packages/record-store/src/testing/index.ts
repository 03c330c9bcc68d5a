// @oip/record-store/testing: @elastic/elasticsearch-mock wiring (es-mock.ts) and an in-memory
// Elasticsearch (es-fake*.ts). Needs @elastic/elasticsearch-mock installed.
// - The mock stays for what a real node cannot give at a chosen moment: a bulk item failing with
//   429/503, a request-level 5xx, a mapping update a node would accept (this package's
//   elasticsearch-record-store and widen tests).
// - The fake is an engine only, which the real node (ELASTICSEARCH_URL, started by the test
//   command) now is for this package's suites. apps/sync-worker's seed-000-replay and store-cli
//   tests still run on it; it goes when they move to the real node.
export { createEsMock, esErrorBody, esResponseError } from './es-mock.js';
export type { EsMock, SeenRequest } from './es-mock.js';
export { createEsFake } from './es-fake.js';
export type { EsFake, EsFakeOptions, FakeIndex } from './es-fake.js';
export { applyDynamicMapping, putMapping } from './es-fake-mapping.js';
export type { IndexMappings, ItemError, MappingNode } from './es-fake-mapping.js';
