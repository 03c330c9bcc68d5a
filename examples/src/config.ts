// Where the examples find the api and who they sign in as: the only file that reads process.env
// and the command line. The api's base URL is the first argument, else OIP_API_URL, else the
// address `node scripts/oip.mjs up` serves it on.

export interface ExampleConfig {
  /** The api's base URL. */
  apiUrl: string;
  /** An existing account to log in with (OIP_EMAIL and OIP_PASSWORD); without it each run registers a new one. */
  account: { email: string; password: string } | null;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:3005';

export class ConfigError extends Error {}

export function loadConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: Readonly<Record<string, string | undefined>> = process.env,
): ExampleConfig {
  const given = argv.find((a) => !a.startsWith('-')) ?? env['OIP_API_URL'] ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new ConfigError(`the api URL (first argument or OIP_API_URL) is not a URL: ${given}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`the api URL (first argument or OIP_API_URL) must be http(s): ${given}`);
  const email = env['OIP_EMAIL'];
  const password = env['OIP_PASSWORD'];
  if ((email === undefined) !== (password === undefined))
    throw new ConfigError('set both OIP_EMAIL and OIP_PASSWORD, or neither (a new account is registered)');
  return {
    apiUrl: url.href.replace(/\/+$/, ''),
    account: email !== undefined && password !== undefined ? { email, password } : null,
  };
}
