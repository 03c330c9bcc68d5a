// Who may read a media file (legacy rules): public media anyone; anything else (no accessLevel
// included) only the owner, i.e. a token whose public key is the manifest's userPublicKey.
import type { RequestAuth } from '@oip/service-kit/auth';
import { AuthRequiredError, NotOwnerError } from '../errors.js';
import { accessLevelOf, type MediaManifest } from './manifest.js';

/** Throws 401 MEDIA_ERR_AUTH_REQUIRED without a token, 403 MEDIA_ERR_NOT_OWNER for another user. */
export function checkAccess(manifest: MediaManifest, auth: RequestAuth): void {
  if (accessLevelOf(manifest) === 'public') return;
  if (!auth.authenticated) throw new AuthRequiredError();
  if (auth.publicKey === null || auth.publicKey !== manifest.userPublicKey) throw new NotOwnerError();
}
