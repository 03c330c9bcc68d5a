// @oip/record-store/testing: an in-memory Elasticsearch for tests of workspaces that run the ES
// adapter (the sync worker's, this package's own). Needs @elastic/elasticsearch-mock installed.
export { createEsMock, esErrorBody, esResponseError } from './es-mock.js';
export type { EsMock, SeenRequest } from './es-mock.js';
export { createEsFake } from './es-fake.js';
export type { EsFake, EsFakeOptions, FakeIndex } from './es-fake.js';
export { applyDynamicMapping, putMapping } from './es-fake-mapping.js';
export type { IndexMappings, ItemError, MappingNode } from './es-fake-mapping.js';
