export type {
  BulkItemResult,
  OipBlock,
  OipCreator,
  OipRecord,
  RecordData,
  RecordStore,
  SearchQuery,
  SearchResult,
  SortField,
} from './types.js';
export {
  StoreError,
  StoreMappingError,
  StoreInvalidError,
  StoreUnavailableError,
  StoreTimeoutError,
  StoreClosedError,
  StoreIoError,
  StoreUpstreamError,
  StoreInternalError,
  isStoreError,
} from './errors.js';
export type { StoreErrorCode, StoreErrorOptions } from './errors.js';
export { FieldTypeGuard, FieldTypeBatch, looksLikeDate } from './field-type-guard.js';
export type { FieldTypeGuardOptions } from './field-type-guard.js';
export { FIELD_TYPES, isFieldType } from './field-type-names.js';
export type { FieldType } from './field-type-names.js';
export {
  DEFAULT_RECORDS_INDEX,
  recordsIndexMappings,
  legacyFieldTypes,
  mappingToFieldTypes,
} from './legacy-mapping.js';
export { normalizeQuery, MAX_LIMIT, MAX_RESULT_WINDOW } from './query.js';
export type { NormalizedQuery } from './query.js';
export { validateRecord, extractFields } from './record-fields.js';
export { SqliteRecordStore, createSqliteRecordStore } from './sqlite/sqlite-record-store.js';
export type { SqliteRecordStoreOptions } from './sqlite/sqlite-record-store.js';
