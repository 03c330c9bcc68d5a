// The legacy account routes' refusal body: `{ success: false, error: "<legacy text>", code }`, given
// by the error handler to the codes a route lists in `config.legacyCodes` (the code also goes in the
// x-error-code header); every other error answers the house body.
import type { LegacyAnswer } from '@oip/service-kit/fastify';

export type LegacyCodes = Readonly<Record<string, LegacyAnswer>>;

export const legacyAccountBody = (error: string, code: string): Record<string, unknown> => ({
  success: false,
  error,
  code,
});
