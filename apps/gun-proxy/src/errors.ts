// The gun-proxy error catalogue. Legacy relay routes answer the legacy body (`{ "error": "<string>" }`)
// byte for byte and carry the stable code in the `x-error-code` header; other routes answer the house
// shape `{ error: { code, message }, requestId }`.
import createError from '@fastify/error';

export const InvalidJsonError = createError('GUNPROXY_INVALID_JSON', 'Request body is not valid JSON', 400);
export const BodyTooLargeError = createError('GUNPROXY_BODY_TOO_LARGE', 'Request body is larger than %s bytes', 413);
export const ValidationError = createError('GUNPROXY_VALIDATION', 'Invalid request: %s', 400);
export const SoulRequiredError = createError('GUNPROXY_SOUL_REQUIRED', 'Soul parameter required', 400);
export const InvalidSoulError = createError('GUNPROXY_INVALID_SOUL', 'Invalid soul: %s', 400);
export const PutBodyError = createError('GUNPROXY_PUT_BODY', 'soul and data required', 400);
export const NotFoundError = createError('GUNPROXY_NOT_FOUND', 'Not found', 404);
export const ManifestNotFoundError = createError('GUNPROXY_MANIFEST_NOT_FOUND', 'Manifest not found', 404);
export const PublisherRequiredError = createError('GUNPROXY_PUBLISHER_REQUIRED', 'publisherHash parameter required', 400);
export const MediaIdRequiredError = createError('GUNPROXY_MEDIA_ID_REQUIRED', 'mediaId required in manifest', 400);
export const MediaIdParamRequiredError = createError('GUNPROXY_MEDIA_ID_PARAM_REQUIRED', 'mediaId parameter required', 400);
export const PresenceFieldsError = createError('GUNPROXY_PRESENCE_FIELDS', 'mediaId and peerId required', 400);
export const UnauthorizedError = createError('GUNPROXY_UNAUTHORIZED', 'Write requires authentication: %s', 401);
export const PutTimeoutError = createError('GUNPROXY_PUT_TIMEOUT', 'Storage did not acknowledge the write within %s ms', 504);
export const PutFailedError = createError('GUNPROXY_PUT_FAILED', 'GUN rejected the write: %s', 500);
export const ShuttingDownError = createError('GUNPROXY_SHUTTING_DOWN', 'gun-proxy is shutting down', 503);
export const RouteNotFoundError = createError('GUNPROXY_ROUTE_NOT_FOUND', 'Route %s %s not found', 404);
export const InternalError = createError('GUNPROXY_INTERNAL', 'Internal error', 500);

/** The legacy relay's `error` string for each code (what legacy clients read). */
export const LEGACY_ERROR_TEXT: Readonly<Record<string, string>> = {
  GUNPROXY_INVALID_JSON: 'Invalid JSON',
  GUNPROXY_BODY_TOO_LARGE: 'Payload too large',
  GUNPROXY_VALIDATION: 'Invalid request',
  GUNPROXY_SOUL_REQUIRED: 'Soul parameter required',
  GUNPROXY_INVALID_SOUL: 'Invalid soul',
  GUNPROXY_PUT_BODY: 'soul and data required',
  GUNPROXY_NOT_FOUND: 'Not found',
  GUNPROXY_MANIFEST_NOT_FOUND: 'Manifest not found',
  GUNPROXY_PUBLISHER_REQUIRED: 'publisherHash parameter required',
  GUNPROXY_MEDIA_ID_REQUIRED: 'mediaId required in manifest',
  GUNPROXY_MEDIA_ID_PARAM_REQUIRED: 'mediaId parameter required',
  GUNPROXY_PRESENCE_FIELDS: 'mediaId and peerId required',
  GUNPROXY_UNAUTHORIZED: 'Unauthorized',
  GUNPROXY_PUT_TIMEOUT: 'Storage timeout',
  GUNPROXY_PUT_FAILED: 'Write failed',
  GUNPROXY_SHUTTING_DOWN: 'Shutting down',
  GUNPROXY_ROUTE_NOT_FOUND: 'Endpoint not found',
  GUNPROXY_INTERNAL: 'Internal error',
};
