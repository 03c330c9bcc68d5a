// Log settings every service shares.
import { Type } from '@sinclair/typebox';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** pino level. @defaultValue 'info' */
export const LogLevelSchema = Type.Union(
  LOG_LEVELS.map((l) => Type.Literal(l)),
  { default: 'info' },
);

/** Request parts never logged (pino redact paths). */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-oip-signature"]',
  'req.headers["x-oip-peer-token"]',
];
