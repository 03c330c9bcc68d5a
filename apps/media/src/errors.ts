// The media error catalogue (MEDIA_ codes). The legacy routes answer the legacy body
// `{ error: "<text>" }` (LEGACY_ERROR_TEXT) with the code in x-error-code.
import createError from '@fastify/error';

export const MediaErrorCodes = {
  TOKEN_INVALID: 'MEDIA_ERR_TOKEN_INVALID',
  TOKEN_REQUIRED: 'MEDIA_ERR_TOKEN_REQUIRED',
  ADMIN_REQUIRED: 'MEDIA_ERR_ADMIN_REQUIRED',
  NOT_FOUND: 'MEDIA_ERR_NOT_FOUND',
  INVALID_MEDIA_ID: 'MEDIA_ERR_INVALID_MEDIA_ID',
  RANGE_NOT_SATISFIABLE: 'MEDIA_ERR_RANGE_NOT_SATISFIABLE',
  PRECONDITION_FAILED: 'MEDIA_ERR_PRECONDITION_FAILED',
  NO_FILE: 'MEDIA_ERR_NO_FILE',
  UPLOAD_TOO_LARGE: 'MEDIA_ERR_UPLOAD_TOO_LARGE',
  UPLOAD_ABORTED: 'MEDIA_ERR_UPLOAD_ABORTED',
  UPLOAD_FORM: 'MEDIA_ERR_UPLOAD_FORM',
  INVALID_ACCESS_LEVEL: 'MEDIA_ERR_INVALID_ACCESS_LEVEL',
  PUBLISHER_KEY_MISSING: 'MEDIA_ERR_PUBLISHER_KEY_MISSING',
  DISK_FULL: 'MEDIA_ERR_DISK_FULL',
  STORAGE: 'MEDIA_ERR_STORAGE',
  PEER_BODY_TOO_LARGE: 'MEDIA_ERR_PEER_BODY_TOO_LARGE',
  WEB_SETUP_INVALID: 'MEDIA_ERR_WEB_SETUP_INVALID',
  WEB_NAME_INVALID: 'MEDIA_ERR_WEB_NAME_INVALID',
  NOT_OWNER: 'MEDIA_ERR_NOT_OWNER',
  WEB_NAME_TAKEN: 'MEDIA_ERR_WEB_NAME_TAKEN',
  WEB_FULL: 'MEDIA_ERR_WEB_FULL',
  MIGRATE_SOURCE: 'MEDIA_ERR_MIGRATE_SOURCE',
  MIGRATE_CROSS_DEVICE: 'MEDIA_ERR_MIGRATE_CROSS_DEVICE',
  MIGRATE_BUSY: 'MEDIA_ERR_MIGRATE_BUSY',
} as const;

/** Also the answer to a caller who may not read the media: it must not tell them it exists. */
export const MediaNotFoundError = createError(MediaErrorCodes.NOT_FOUND, 'Media not found', 404);
export const InvalidMediaIdError = createError(
  MediaErrorCodes.INVALID_MEDIA_ID,
  'mediaId must be 64 lowercase hex characters (the sha256 of the file)',
  400,
);
/** Carries `Content-Range: bytes * /<size>` in `headers`. */
export const RangeNotSatisfiableError = createError(
  MediaErrorCodes.RANGE_NOT_SATISFIABLE,
  'Range not satisfiable (the file has %s bytes)',
  416,
);
export const PreconditionFailedError = createError(MediaErrorCodes.PRECONDITION_FAILED, 'Precondition failed', 412);
export const NoFileError = createError(MediaErrorCodes.NO_FILE, 'No file provided', 400);
export const UploadTooLargeError = createError(MediaErrorCodes.UPLOAD_TOO_LARGE, 'File is larger than %s bytes', 413);
export const UploadAbortedError = createError(
  MediaErrorCodes.UPLOAD_ABORTED,
  'The upload ended before the file was complete',
  400,
);
export const UploadFormError = createError(MediaErrorCodes.UPLOAD_FORM, 'Invalid upload form: %s', 400);
export const InvalidAccessLevelError = createError(
  MediaErrorCodes.INVALID_ACCESS_LEVEL,
  'access_level must be public or private',
  400,
);
export const PublisherKeyMissingError = createError(
  MediaErrorCodes.PUBLISHER_KEY_MISSING,
  'The token carries no publisher public key',
  403,
);
export const DiskFullError = createError(MediaErrorCodes.DISK_FULL, 'No space left to store the file', 507);
export const StorageError = createError(MediaErrorCodes.STORAGE, 'The file could not be stored', 500);
/** Replication: a peer's answer ran past the size bound (counted as a failed peer, never answered to a client). */
export const PeerBodyTooLargeError = createError(
  MediaErrorCodes.PEER_BODY_TOO_LARGE,
  'The peer sent more than %s bytes',
  502,
);

export const WebSetupInvalidError = createError(
  MediaErrorCodes.WEB_SETUP_INVALID,
  'mediaId (64 lowercase hex) and filename (a plain file name: no / or \\, no control characters, not starting with a dot, at most 255 bytes) are required',
  400,
);
export const WebNameInvalidError = createError(
  MediaErrorCodes.WEB_NAME_INVALID,
  'Not a web media path: /media/<project>/<file>, plain names only',
  400,
);
/** web-setup by a caller who can read the media but never uploaded it. */
export const NotOwnerError = createError(
  MediaErrorCodes.NOT_OWNER,
  'Access denied: not the owner of this media file',
  403,
);
export const WebNameTakenError = createError(
  MediaErrorCodes.WEB_NAME_TAKEN,
  'A different file is already published under this name',
  409,
);
export const WebFullError = createError(MediaErrorCodes.WEB_FULL, 'The web directory holds %s files, its limit', 507);

// `migrate media` (the operator CLI): conditions that stop a run before it starts (exit 2, or 1 when busy).
export const MigrateSourceError = createError(MediaErrorCodes.MIGRATE_SOURCE, '--from-media %s: %s', 500);
export const MigrateCrossDeviceError = createError(
  MediaErrorCodes.MIGRATE_CROSS_DEVICE,
  '--adopt hard-links the files, so %s and the media dir %s must be on one file system (use --copy)',
  500,
);
export const MigrateBusyError = createError(
  MediaErrorCodes.MIGRATE_BUSY,
  'another migrate media runs into this media dir (pid %s)',
  500,
);

/** The legacy media routes' `error` text per code. */
export const LEGACY_ERROR_TEXT: Readonly<Record<string, string>> = {
  MEDIA_ERR_TOKEN_INVALID: 'Forbidden',
  MEDIA_ERR_TOKEN_REQUIRED: 'Unauthorized',
  MEDIA_ERR_NOT_FOUND: 'Media not found',
  MEDIA_ERR_NO_FILE: 'No file provided',
  MEDIA_ERR_UPLOAD_TOO_LARGE: 'File too large',
  MEDIA_ERR_STORAGE: 'Media upload failed',
  MEDIA_ERR_DISK_FULL: 'Media upload failed',
  MEDIA_ERR_WEB_SETUP_INVALID: 'mediaId and filename are required',
  MEDIA_ERR_NOT_OWNER: 'Access denied: not the owner of this media file',
  MEDIA_INTERNAL: 'Internal error',
};
