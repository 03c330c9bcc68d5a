// The HTTP client for GUN relays. What souls, records and registry nodes are is @oip/records'.
export { GunClient } from './client.js';
export type { CallOptions, ListQuery, PresenceInput, RegistrationInput } from './client.js';
export type { GunClientLogger, GunClientOptions } from './options.js';
export type { RetryOptions } from './backoff.js';
export { backoffDelay, parseRetryAfter } from './backoff.js';
export { NegativeCache } from './negative-cache.js';
export type { NegativeCacheOptions, NegativeCacheStats } from './negative-cache.js';
export type { GunClientStats } from './stats.js';
export { channels } from './diagnostics.js';
export {
  GunAbortedError,
  GunBadResponseError,
  GunClientError,
  GunConnectionError,
  GunErrorCodes,
  GunRejectedError,
  GunTimeoutError,
  GunTooLargeError,
  GunUpstreamError,
} from './errors.js';
export type { GunErrorCode, GunErrorMeta } from './errors.js';
export type { ListedRecord, PeersStatus } from './wire.js';
export { announceMedia, readMediaPeers } from './media-peers.js';
export type { MediaPeer, MediaPeersClient } from './media-peers.js';
export type { PageSource, RegistryIndexPage, RegistryPageOptions } from './registry-pages.js';
export { peerBaseCandidates, peerWithoutCredentials, resolvePeerBase } from './peer-base.js';
export type { PeerBaseResult } from './peer-base.js';
