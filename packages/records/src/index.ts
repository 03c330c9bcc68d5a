export { RecordsError, isRecordsError } from './errors.js';
export type { RecordsErrorCode } from './errors.js';
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
  soulPublisherHash,
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
