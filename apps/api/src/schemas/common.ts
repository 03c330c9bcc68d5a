// The pieces every route's OpenAPI schema shares: the house error body, the legacy account routes'
// refusal body, the errors each kind of auth adds, and the security requirements. Response schemas
// also drive fast-json-stringify, so a body's fields must all be here (open objects stay open).
import { Type, type TSchema } from '@sinclair/typebox';

/** An object whose keys are the caller's or a record's own (serialized whole). */
export const OpenObject = (description?: string) =>
  Type.Object({}, { additionalProperties: true, ...(description !== undefined ? { description } : {}) });

/** Nullable, as JSON Schema 2020-12 says it (OpenAPI 3.1). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The house error body (service-kit's error handler): every error unless a legacy route lists its code. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code, also in the x-error-code header', examples: ['API_VALIDATION'] }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown({ description: 'Field problems and the like, when the error has them' })),
    }),
    requestId: Type.String(),
  },
  {
    examples: [
      {
        error: { code: 'API_ERR_TOKEN_REQUIRED', message: 'Authentication token required' },
        requestId: 'req-1',
      },
    ],
  },
);

/** The legacy account routes' refusal body, for the codes a route lists (services/legacy-refusal.ts). */
export const LegacyErrorBody = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.String({ description: "The legacy node's text" }),
    code: Type.String(),
  },
  { examples: [{ success: false, error: 'Invalid password', code: 'ACCOUNTS_ERR_BAD_CREDENTIALS' }] },
);

const HOUSE: Readonly<Record<number, string>> = {
  400: 'Invalid request (API_VALIDATION, API_INVALID_JSON or a route code)',
  401: 'No bearer token (API_ERR_TOKEN_REQUIRED)',
  403: 'The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED)',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body too large (API_BODY_TOO_LARGE)',
  429: 'Too many requests from this caller (API_ERR_RATE_LIMITED)',
  500: 'Internal error (API_INTERNAL)',
  502: 'An upstream service failed',
  503: 'A service the route needs is unavailable',
  504: 'An upstream service did not answer in time',
};

type Responses = Record<string, TSchema>;

/** House error responses for these statuses, each with its description (or the one given). */
export function errors(...statuses: Array<number | [number, string]>): Responses {
  const out: Responses = {};
  for (const s of statuses) {
    const [status, description] = Array.isArray(s) ? s : [s, HOUSE[s] ?? 'Error'];
    out[String(status)] = { ...ErrorBody, description };
  }
  return out;
}

/** Statuses answered with the legacy body for the route's listed codes and the house body otherwise. */
export function legacyErrors(...statuses: Array<[number, string]>): Responses {
  const out: Responses = {};
  for (const [status, description] of statuses)
    out[String(status)] = Type.Union([LegacyErrorBody, ErrorBody], { description });
  return out;
}

/** What the auth hooks add: optionalAuth refuses a bad token; requireAuth / requireAdmin also a missing one. */
export const optionalAuthErrors = (): Responses => errors(403);
export const requireAuthErrors = (): Responses => errors(401, 403);

type Security = ReadonlyArray<Readonly<Record<string, readonly string[]>>>;
/** A token is needed. */
export const bearer: Security = [{ bearerAuth: [] }];
/** A token is optional: it unlocks the caller's private records. */
export const optionalBearer: Security = [{ bearerAuth: [] }, {}];

/** `{ success: true, message }`, the legacy routes' plain success. */
export const SuccessMessage = Type.Object({ success: Type.Literal(true), message: Type.String() });
