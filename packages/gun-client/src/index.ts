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
export {
  DEFAULT_REGISTRY_ROOT,
  DELETION_INDEX_SOUL,
  DELETION_ROOT,
  DID_ARWEAVE_PREFIX,
  DID_GUN_PREFIX,
  buildRecordSoul,
  canonicalRecordString,
  deletionSoul,
  didFromSoul,
  isDref,
  isMediaId,
  isNodeId,
  mediaIdOf,
  mediaManifestSoul,
  mediaPeersIndexSoul,
  mediaPresenceSoul,
  parseRecordSoul,
  publisherHash,
  publisherIndexSoul,
  registryIndexSoul,
  registryNodeSoul,
  KNOWN_RECORD_TYPES,
  soulFromDid,
  CONTROL_CHARS,
  keyProblem,
  MAX_SOUL_LENGTH,
  mediaIdProblem,
  RESERVED_SOULS,
  reservedKeyProblem,
  reservedSoulProblem,
  soulProblem,
} from './souls.js';
export type { ParsedSoul, SoulInput } from './souls.js';
export {
  pageFromGetBody,
  parseMaybeJson,
  recordFromNode,
  registryEntriesFromNode,
  registryEntryFromValue,
  stripGunMeta,
} from './wire.js';
export { linkOf, mapBounded } from './registry-pages.js';
export { announceMedia, readMediaPeers } from './media-peers.js';
export type { MediaPeer, MediaPeersClient } from './media-peers.js';
export type { PageSource, RegistryIndexPage, RegistryPageOptions } from './registry-pages.js';
export { peerBaseCandidates, peerWithoutCredentials, resolvePeerBase } from './peer-base.js';
export type { PeerBaseResult } from './peer-base.js';
export type {
  DeletionEntry,
  DeletionProof,
  GunNode,
  GunRecordNode,
  ListedRecord,
  PeersStatus,
  RegistryIndexEntry,
} from './wire.js';
