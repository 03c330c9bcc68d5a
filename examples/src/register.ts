// FitnessAlly sign-up: register an account, log in with it, and see the api refuse the same email
// twice with a stable error code.
//   node dist/register.js [api-url]      (or OIP_API_URL; OIP_EMAIL and OIP_PASSWORD pick the account)
import type { OipApiError } from '@oip/client';
import { login, newCredentials, register } from './session.js';
import { runExample } from './run.js';

runExample(async (config) => {
  const credentials = config.account ?? newCredentials();
  const registered = await register(config.apiUrl, credentials);
  console.log(`registered ${credentials.email}: publisher key ${registered.publicKey}`);
  const words = registered.mnemonic?.split(' ').length ?? 0;
  console.log(`mnemonic shown once: ${words} words (keep them to recover the key)`);

  const session = await login(config.apiUrl, credentials);
  console.log(
    `logged in: token of ${session.token.length} characters, same key: ${session.publicKey === registered.publicKey}`,
  );

  // Errors carry the api's code: branch on it.
  try {
    await register(config.apiUrl, credentials);
  } catch (err) {
    const refusal = err as OipApiError;
    if (refusal.code !== 'ACCOUNTS_ERR_DUPLICATE_EMAIL') throw err;
    console.log(`registering again is refused: ${refusal.status} ${refusal.code}`);
    return;
  }
  throw new Error('registering the same email twice was accepted');
});
