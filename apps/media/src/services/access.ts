// Who reads what (views in services/media-views.ts). Bytes are served to anyone once some
// uploader made them public; otherwise only to a caller who uploaded them (legacy: no
// accessLevel = private; the key is the token's `publicKey`, or the legacy `publisherPubKey`).
// A manifest is shown to its own uploader, else the public view is shown. Anyone else, anonymous
// or signed in, is answered exactly as for a media id that is not here: a 404 says nothing about
// whether someone holds these bytes privately, nor who.
import type { RequestAuth } from '@oip/service-kit/auth';
import type { MediaManifest } from './manifest.js';
import type { MediaStore } from './media-store.js';
import type { MediaViews } from './media-views.js';

export interface ServedView {
  /** The manifest the answer goes by (its type for the file; itself for /info). */
  view: MediaManifest;
  /** `public`: the bytes are public, the answer may be cached anywhere; `private`: the caller's own only. */
  cache: 'public' | 'private';
}

/** The view GET/HEAD of the file goes by; null: answer as for a missing id. */
export async function fileViewFor(
  store: MediaStore,
  mediaId: string,
  views: MediaViews,
  auth: RequestAuth,
): Promise<ServedView | null> {
  if (views.public !== null) return { view: views.public, cache: 'public' };
  const own = auth.publicKey === null ? null : await store.ownView(mediaId, views, auth.publicKey);
  return own === null ? null : { view: own, cache: 'private' };
}

/** The manifest /info answers with: the caller's own view, else the public one; null: answer as for a missing id. */
export async function infoViewFor(
  store: MediaStore,
  mediaId: string,
  views: MediaViews,
  auth: RequestAuth,
): Promise<ServedView | null> {
  const own = auth.publicKey === null ? null : await store.ownView(mediaId, views, auth.publicKey);
  if (own !== null) return { view: own, cache: 'private' };
  return views.public === null ? null : { view: views.public, cache: 'public' };
}
