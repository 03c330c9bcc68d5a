export { createOipClient, DEFAULT_TIMEOUT_MS } from './client.js';
export type { OipClient, OipClientOptions, OipPaths } from './client.js';
export { OipApiError, OipClientError, OipClientErrorCodes, OipRequestError } from './errors.js';
export type { OipClientErrorCode, OipErrorBody, OipLegacyErrorBody } from './errors.js';
export { formData } from './form-data.js';
export { ok } from './ok.js';
export type { FetchResult, SuccessData } from './ok.js';
export type { components, operations, paths } from './generated/openapi.js';
