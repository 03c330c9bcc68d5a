// @oip/record-store/testing: @elastic/elasticsearch-mock wiring (es-mock.ts). Needs
// @elastic/elasticsearch-mock installed. It is for what a real node cannot give at a chosen
// moment: a bulk item failing with 429/503, a request-level 5xx, a mapping update a node would
// accept (this package's elasticsearch-record-store and widen tests). Everything else runs on the
// real node (ELASTICSEARCH_URL, started by the test command).
export { createEsMock, esErrorBody, esResponseError } from './es-mock.js';
export type { EsMock, SeenRequest } from './es-mock.js';
