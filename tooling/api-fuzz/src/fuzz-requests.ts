// Every request the fuzz sends: each documented operation (valid and broken in equal shares), the
// gateway to gun-proxy and to media, and the routes the document does not list, each by every
// identity. An operation weighs more the more parameters and body it has to vary.
import fc from 'fast-check';
import type { FuzzRequest } from './fuzz-request.js';
import { extraRouteRequests, mediaGatewayRequests, relayGatewayRequests } from './gateway-requests.js';
import { operationRequests } from './operation-requests.js';
import type { Operation } from './openapi-operations.js';

/** The route labels the fuzz covers besides the documented operations. */
export const HIDDEN_ROUTES = ['gateway /gun-relay/*', 'gateway /api/media/*'] as const;

/** Requests for `operations` (from operationsOf) and the hidden routes. */
export function fuzzRequests(operations: readonly Operation[]): fc.Arbitrary<FuzzRequest> {
  if (operations.length === 0) throw new Error('no operations to fuzz');
  return fc.oneof(
    ...operations.map((op) => ({
      weight: 3 + Math.min(5, op.parameters.length + (op.body ? 4 : 0)),
      arbitrary: operationRequests(op),
    })),
    { weight: 8, arbitrary: relayGatewayRequests() },
    { weight: 8, arbitrary: mediaGatewayRequests() },
    { weight: 4, arbitrary: extraRouteRequests() },
  );
}
