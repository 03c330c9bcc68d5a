// The api's error catalogue (API_ codes). The legacy user routes answer the accounts service's
// refusals in their legacy body (routes/user.ts); every other error answers the house body.
import createError from '@fastify/error';

export const ApiErrorCodes = {
  TOKEN_INVALID: 'API_ERR_TOKEN_INVALID',
  TOKEN_REQUIRED: 'API_ERR_TOKEN_REQUIRED',
  ADMIN_REQUIRED: 'API_ERR_ADMIN_REQUIRED',
  SYNC_STATUS_UNAVAILABLE: 'API_ERR_SYNC_STATUS_UNAVAILABLE',
  UPSTREAM_UNAVAILABLE: 'API_ERR_UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'API_ERR_UPSTREAM_TIMEOUT',
} as const;

export const InvalidQueryError = createError('API_ERR_INVALID_QUERY', 'Invalid query parameter %s: %s', 400);
export const ResolveLimitError = createError(
  'API_ERR_RESOLVE_LIMIT',
  'Resolving this page needs more than %s records; lower resolveDepth or limit',
  400,
);
export const RecordNotFoundError = createError('API_ERR_RECORD_NOT_FOUND', 'Record not found', 404);
export const SyncStatusUnavailableError = createError(
  ApiErrorCodes.SYNC_STATUS_UNAVAILABLE,
  'Sync state in Redis did not answer within %s ms',
  503,
);
export const DeadLetterNotFoundError = createError('API_ERR_DEAD_LETTER_NOT_FOUND', 'No dead letter for %s', 404);
/** The record moved on since it was dead-lettered (re-synced at a newer version, or deleted); the entry was dropped. */
export const DeadLetterStaleError = createError(
  'API_ERR_DEAD_LETTER_STALE',
  'The dead letter of %s was stale (the record moved on) and was removed',
  409,
);
export const QueueUnavailableError = createError(
  'API_ERR_QUEUE_UNAVAILABLE',
  'The sync queues in Redis did not answer within %s ms',
  503,
);
/** A record to publish or index failed validation; `details` lists the paths and rules. */
export const InvalidRecordError = createError('API_ERR_INVALID_RECORD', 'Invalid record: %s', 400);
/** The store refused the record (a field type fixed otherwise, too large…); nothing was published. */
export const RecordRefusedError = createError('API_ERR_RECORD_REFUSED', 'The store refused the record: %s', 409);
export const RelayUnavailableError = createError(
  'API_ERR_RELAY_UNAVAILABLE',
  'The relay did not take the %s; nothing was published',
  502,
);
export const NotOwnerError = createError(
  'API_ERR_NOT_OWNER',
  "Only the record's creator or an admin may delete it",
  403,
);
/** The node holds no usable signing key for the caller (an account from before key custody, or a changed node secret): logging in again restores it. */
export const PublisherKeyLockedError = createError(
  'API_ERR_PUBLISHER_KEY_LOCKED',
  'This node holds no signing key for your account yet: log in again (POST /api/user/login) to unlock it',
  403,
);
export const PublisherKeyMissingError = createError(
  'API_ERR_PUBLISHER_KEY_MISSING',
  'The token carries no publisher public key',
  403,
);
/** The caller chose a storage this node does not publish to: their request to change, so a 400 (was 501). */
export const StorageNotSupportedError = createError(
  'API_ERR_STORAGE_NOT_SUPPORTED',
  'storage=%s is not supported by this node; publish with storage=gun',
  400,
);
export const RateLimitedError = createError(
  'API_ERR_RATE_LIMITED',
  'Too many requests: at most %s per %s; retry in %s s',
  429,
);
/** The api runs without a JWT secret (a test config): it cannot issue tokens. */
export const TokensDisabledError = createError(
  'API_ERR_TOKENS_DISABLED',
  'This api has no JWT secret configured and cannot issue tokens',
  503,
);
export const MediaNotFoundError = createError(
  'API_ERR_MEDIA_NOT_FOUND',
  'Media file not found. Upload file first.',
  404,
);
export const MediaForbiddenError = createError(
  'API_ERR_MEDIA_FORBIDDEN',
  'Access denied: not the owner of this media file',
  403,
);
export const StoreUnavailableError = createError('API_ERR_STORE_UNAVAILABLE', 'The record store is unavailable', 503);
/** Gateway: a write to the relay through the public port; records are written through the api's own routes. */
export const RelayReadOnlyError = createError(
  'API_ERR_RELAY_READ_ONLY',
  '%s is read-only through this port: publish with POST /api/records/newRecord, delete with POST /api/records/deleteRecord, upload media with POST /api/media/upload',
  405,
);
/** Gateway: the upstream (named by the first argument) refused, reset or dropped the connection. */
export const UpstreamUnavailableError = createError(
  ApiErrorCodes.UPSTREAM_UNAVAILABLE,
  'The %s service is unavailable',
  502,
);
/** Gateway: the upstream did not answer (or stopped reading the request body) within the timeout. */
export const UpstreamTimeoutError = createError(
  ApiErrorCodes.UPSTREAM_TIMEOUT,
  'The %s service did not answer within %s ms',
  504,
);
/** Gateway: a request for an origin the dispatcher has no pool for (answered as the upstream being unavailable). */
export const UpstreamNotConfiguredError = createError(
  'API_ERR_UPSTREAM_NOT_CONFIGURED',
  'Upstream %s is not configured',
  502,
);

/** A token the signature accepts but the account no longer does (password changed since, calendar token revoked or replaced). */
export const TokenInvalidError = createError(ApiErrorCodes.TOKEN_INVALID, 'Invalid or expired token', 403);
/** A calendar (or other scoped) token used beyond what it may do: only GET /api/records of its record types. */
export const TokenScopeError = createError(
  'API_ERR_TOKEN_SCOPE',
  'Calendar tokens are read-only: only GET /api/records with recordType %s',
  403,
);
/** A legacy account route called without a field it needs (legacy texts: "Password required to access mnemonic", …). */
export const FieldsRequiredError = createError('API_ERR_FIELDS_REQUIRED', '%s', 400);
/** GET /api/user/mnemonic: the account has no mnemonic (the operator reset its password). */
export const NoMnemonicError = createError('API_ERR_NO_MNEMONIC', 'No mnemonic found for user', 404);
/** POST /api/user/admin/update-status: a field other than subscriptionStatus / paymentStatus. */
export const InvalidStatusFieldError = createError('API_ERR_INVALID_FIELD', 'Invalid field', 400);
/** POST /api/health/gun-sync/force with no sync-worker listening on the discovery queue (legacy's 400 text). */
export const SyncNotRunningError = createError('API_ERR_SYNC_NOT_RUNNING', 'GUN Sync Service is not running', 400);
/** GET /api/templates/:name, /api/organizations/:id: none of that name, DID or handle the caller may read. */
export const RegistryEntryNotFoundError = createError('API_ERR_ENTRY_NOT_FOUND', '%s not found', 404);
/** GET /api/records/creator/:didAddress: no registration or record of that creator the caller may read. */
export const CreatorNotFoundError = createError('API_ERR_CREATOR_NOT_FOUND', 'Creator not found', 404);
/** No token (the board: no session cookie either). Thrown by the api itself where the kit's hook is not the one refusing. */
export const TokenRequiredError = createError(ApiErrorCodes.TOKEN_REQUIRED, 'Authentication token required', 401);
/** A valid token or board session of an account that is not an admin. */
export const AdminRequiredError = createError(ApiErrorCodes.ADMIN_REQUIRED, 'Admin access required', 403);
/** POST /admin/login: unknown email or wrong password (one answer for both). */
export const LoginFailedError = createError('API_ERR_LOGIN_FAILED', 'Wrong email or password', 401);
