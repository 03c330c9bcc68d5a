export { giveUp, until } from './until.js';
export type { UntilOptions } from './until.js';
export { TestKitError } from './errors.js';
export type { TestKitErrorCode } from './errors.js';
export { storedRecord, legacyRecord, TEST_PUBLIC_KEY } from './records.js';
export type { StoredRecord, StoredRecordSpec, LegacyRecord, LegacyRecordOptions } from './records.js';
