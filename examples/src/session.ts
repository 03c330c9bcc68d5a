// Signing in for an example: log in with the configured account, or register a new one (a
// random address under example.org and a random password), as a FitnessAlly user would.
import { randomBytes } from 'node:crypto';
import { createOipClient, ok, type OipClient } from '@oip/client';
import type { ExampleConfig } from './config.js';

export interface Session {
  /** A client sending the session's token. */
  oip: OipClient;
  email: string;
  token: string;
  /** The account's publisher key: it signs what the account publishes. */
  publicKey: string;
}

/** A new account's credentials: nothing to remember, strong enough for the api's password rules. */
export function newCredentials(): { email: string; password: string } {
  return {
    email: `fitnessally-${randomBytes(4).toString('hex')}@example.org`,
    password: `fa-${randomBytes(12).toString('base64url')}`,
  };
}

/** Registers `credentials` (201): the answer carries a token and, this once, the key's mnemonic. */
export async function register(apiUrl: string, credentials: { email: string; password: string }) {
  return ok(createOipClient({ baseUrl: apiUrl }).POST('/api/user/register', { body: credentials }));
}

/** Logs in (200): a token for 45 days and the account's publisher key. */
export async function login(apiUrl: string, credentials: { email: string; password: string }) {
  return ok(createOipClient({ baseUrl: apiUrl }).POST('/api/user/login', { body: credentials }));
}

/** The configured account, logged in, or a new account, registered. */
export async function signIn(config: ExampleConfig): Promise<Session> {
  const credentials = config.account ?? newCredentials();
  const answer = config.account ? await login(config.apiUrl, credentials) : await register(config.apiUrl, credentials);
  return {
    oip: createOipClient({ baseUrl: config.apiUrl, token: answer.token }),
    email: credentials.email,
    token: answer.token,
    publicKey: answer.publicKey,
  };
}
