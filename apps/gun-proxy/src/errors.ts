// The gun-proxy error catalogue. Legacy relay routes answer the legacy body (`{ "error": "<string>" }`)
// byte for byte and carry the stable code in the `x-error-code` header; other routes answer the house
// shape `{ error: { code, message }, requestId }`.
import createError from '@fastify/error';

export const InvalidJsonError = createError('GUNPROXY_INVALID_JSON', 'Request body is not valid JSON', 400);
export const ValidationError = createError('GUNPROXY_VALIDATION', 'Invalid request: %s', 400);
export const SoulRequiredError = createError('GUNPROXY_SOUL_REQUIRED', 'Soul parameter required', 400);
export const InvalidSoulError = createError('GUNPROXY_INVALID_SOUL', 'Invalid soul: %s', 400);
export const PutBodyError = createError('GUNPROXY_PUT_BODY', 'soul and data required', 400);
export const NotFoundError = createError('GUNPROXY_NOT_FOUND', 'Not found', 404);
export const ManifestNotFoundError = createError('GUNPROXY_MANIFEST_NOT_FOUND', 'Manifest not found', 404);
export const PublisherRequiredError = createError(
  'GUNPROXY_PUBLISHER_REQUIRED',
  'publisherHash parameter required',
  400,
);
export const MediaIdRequiredError = createError('GUNPROXY_MEDIA_ID_REQUIRED', 'mediaId required in manifest', 400);
export const MediaIdParamRequiredError = createError(
  'GUNPROXY_MEDIA_ID_PARAM_REQUIRED',
  'mediaId parameter required',
  400,
);
export const PresenceFieldsError = createError('GUNPROXY_PRESENCE_FIELDS', 'mediaId and peerId required', 400);
export const UnauthorizedError = createError('GUNPROXY_UNAUTHORIZED', 'Write requires authentication: %s', 401);
export const PutTimeoutError = createError(
  'GUNPROXY_PUT_TIMEOUT',
  'Storage did not acknowledge the write within %s ms',
  504,
);
export const PutFailedError = createError('GUNPROXY_PUT_FAILED', 'GUN rejected the write: %s', 500);
export const ShuttingDownError = createError('GUNPROXY_SHUTTING_DOWN', 'gun-proxy is shutting down', 503);
// Hostile or lossy input (issue 10): refused instead of stored differently or crashing.
export const ReservedNameError = createError('GUNPROXY_RESERVED_NAME', 'Reserved name: %s', 400);
export const InvalidUtf8Error = createError('GUNPROXY_INVALID_UTF8', 'Request body is not valid UTF-8', 400);
export const NumberNotFiniteError = createError(
  'GUNPROXY_NUMBER_NOT_FINITE',
  'Number at %s is not finite (e.g. 1e400)',
  400,
);
export const TooDeepError = createError('GUNPROXY_TOO_DEEP', 'Request body nests deeper than %s levels', 400);
export const SoulNotStringError = createError('GUNPROXY_SOUL_NOT_STRING', 'soul must be a JSON string', 400);
export const InvalidMediaIdError = createError('GUNPROXY_INVALID_MEDIA_ID', 'Invalid %s: %s', 400);
export const NodeTooLargeError = createError('GUNPROXY_NODE_TOO_LARGE', 'Node %s would hold more than %s keys', 413);
export const AnswerTooLargeError = createError(
  'GUNPROXY_ANSWER_TOO_LARGE',
  'Node %s is larger than one answer may be: read it in pages (/get?soul=&limit=&after=)',
  413,
);
export const SignatureExpiredError = createError(
  'GUNPROXY_SIGNATURE_EXPIRED',
  'Signature timestamp outside the %s s window',
  401,
);
export const SignatureReplayedError = createError('GUNPROXY_SIGNATURE_REPLAYED', 'Signature already used', 401);
export const ReplaySetFullError = createError(
  'GUNPROXY_REPLAY_SET_FULL',
  'More than %s signed writes in %s s: retry shortly',
  503,
);

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
  GUNPROXY_RESERVED_NAME: 'Reserved name',
  GUNPROXY_INVALID_UTF8: 'Invalid UTF-8',
  GUNPROXY_NUMBER_NOT_FINITE: 'Number not finite',
  GUNPROXY_TOO_DEEP: 'Nesting too deep',
  GUNPROXY_SOUL_NOT_STRING: 'soul and data required',
  GUNPROXY_INVALID_MEDIA_ID: 'Invalid mediaId',
  GUNPROXY_NODE_TOO_LARGE: 'Node too large',
  GUNPROXY_ANSWER_TOO_LARGE: 'Node too large',
  GUNPROXY_SIGNATURE_EXPIRED: 'Unauthorized',
  GUNPROXY_SIGNATURE_REPLAYED: 'Unauthorized',
  GUNPROXY_REPLAY_SET_FULL: 'Busy',
};
