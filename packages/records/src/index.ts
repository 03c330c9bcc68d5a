// What an OIP record is: its souls and DIDs, the GUN node it is stored as, its per-type rules
// (publish and sync), its conversion from and to the legacy GUN shape, and its signatures and
// encryption.
export { RecordsError, isRecordsError } from './errors.js';
export type { RecordsErrorCode } from './errors.js';
export { isObject } from './is-object.js';
export type { OipBlock, OipCreator, OipRecord, RecordData } from './oip-record.js';

// Souls and DIDs.
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
  soulFromDid,
} from './souls.js';
export type { ParsedSoul, SoulInput } from './souls.js';
export {
  CONTROL_CHARS,
  MAX_SOUL_LENGTH,
  RESERVED_SOULS,
  keyProblem,
  mediaIdProblem,
  reservedKeyProblem,
  reservedSoulProblem,
  soulProblem,
} from './soul-rules.js';

// The GUN node and the registries.
export { linkOf, parseMaybeJson, recordFromNode, stripGunMeta } from './gun-node.js';
export type { GunNode, GunRecordNode } from './gun-node.js';
export {
  deletionEntriesFromNode,
  finiteNumber,
  registryEntriesFromNode,
  registryEntryFromValue,
} from './registry-entries.js';
export type { DeletionEntry, DeletionProof, RegistryIndexEntry } from './registry-entries.js';
export { mapBounded } from './map-bounded.js';

// Per-type rules, publish and sync.
export {
  BASIC_RULE,
  CATEGORY_RULES,
  DOUBLE_FIELD_PATHS,
  KNOWN_RECORD_TYPES,
  SCHEDULE_DATE_PATHS,
  categorySchema,
} from './record-types.js';
export type { CategoryRule, FieldRule } from './record-types.js';
export { recordProblems } from './record-problems.js';
export type { RecordProblem } from './record-problems.js';
export { validateRecord } from './validate-record.js';
export type { SchemaFailure, ValidationResult } from './validate-record.js';

// Legacy GUN record -> our record, and back.
export { resolveLinks, hasLink } from './resolve-links.js';
export type { LinkBounds, LinkSource } from './resolve-links.js';
export { restoreGunArrays, restoreRecord } from './restore-arrays.js';
export { convertGunRecord, convertRecord } from './convert-record.js';
export type { ConvertOutcome } from './convert-record.js';
export { LEGACY_REGISTRY_TYPES, convertLegacyIndexDoc } from './convert-legacy-index.js';
export type { LegacyIndexKind, LegacyIndexOutcome } from './convert-legacy-index.js';
export { OIP_VERSION, recordForPublish } from './publish-record.js';
export type { PublishRecordInput } from './publish-record.js';

// Signatures and encryption.
export { canonicalJson } from './canonical-json.js';
export {
  SIGNATURE_SCHEME,
  SIGNED_META_KEYS,
  checkDeletionSignature,
  checkRecordSignature,
  creatorPublicKey,
  recordSigningBytes,
  signDeletion,
  signRecord,
  unsignedRecordAcceptable,
} from './record-signature.js';
export type {
  DeletionToSign,
  RecordToSign,
  Signature,
  SignatureCheck,
  SignatureProblem,
  UnsignedPolicy,
} from './record-signature.js';
export { decryptData, encryptData, isEncryptedData, isEncryptedMeta } from './record-envelope.js';
export type { EncryptedData } from './record-envelope.js';
export {
  KEY_SCHEME,
  legacyFallbackKey,
  legacySaltedKey,
  organizationRecordKey,
  perUserRecordKey,
} from './record-keys.js';
export { openGunRecordData, restrictedLevel, sealGunRecord, sharedWith } from './gun-record-crypto.js';
export type { GunWireRecord, OpenOutcome, RecordKeySource, RestrictedLevel, SealInput } from './gun-record-crypto.js';
