// The ES mock wiring lives in src/testing (exported as @oip/record-store/testing).
export { createEsMock, esErrorBody, esResponseError } from '../../src/testing/index.js';
export type { EsMock, SeenRequest } from '../../src/testing/index.js';
