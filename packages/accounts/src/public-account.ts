import { publisherHash } from './publisher-hash.js';
import type { AccountRecord, PublicAccount } from './types.js';

/** The public view: copies the fields it names, so hash and sealed secrets can never leak. */
export function toPublicAccount(account: AccountRecord): PublicAccount {
  return {
    id: account.id,
    email: account.email,
    publicKey: account.publicKey,
    publisherHash: publisherHash(account.publicKey),
    keyDerivationPath: account.keyDerivationPath,
    isAdmin: account.isAdmin,
    createdAt: account.createdAt,
    subscriptionStatus: account.subscriptionStatus,
    paymentStatus: account.paymentStatus,
    tokenStamp: account.tokenStamp,
  };
}
