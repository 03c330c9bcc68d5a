// The publisher hash that prefixes every GUN soul a publisher writes. Legacy (helpers/gun.js
// computeSoul, helpers/utils.js userOwnsRecord) hashes the public key *string* as given —
// `createHash('sha256').update(publisherPubKey)` on the hex text, i.e. its UTF-8 bytes — not
// the decoded key bytes. Matching that is what makes souls (and ownership checks) agree.
import { createHash } from 'node:crypto';

/** First 12 lowercase hex chars of sha256 over the UTF-8 text of `publicKey`. */
export function publisherHash(publicKey: string): string {
  return createHash('sha256').update(publicKey, 'utf8').digest('hex').slice(0, 12);
}
