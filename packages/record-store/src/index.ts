export type {
  BulkItemResult,
  OipBlock,
  OipCreator,
  OipRecord,
  RecordData,
  RecordStore,
  AccessOption,
  ReadOptions,
  CountQuery,
  TagSummary,
  TagSummaryOptions,
  SearchQuery,
  SearchResult,
  SortField,
  FieldTypeEntry,
  WidenOptions,
  WidenResult,
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
  StoreWideningRefusedError,
  StoreFieldUnknownError,
  StoreReindexRequiredError,
  StoreReadOnlyError,
  isStoreError,
} from './errors.js';
export type { StoreErrorCode, StoreErrorOptions } from './errors.js';
export { FieldTypeGuard, FieldTypeBatch, looksLikeDate, valueType } from './field-type-guard.js';
export { CONFLICT_SAMPLE_MAX_CHARS, boundedSample, sampleAt, valuesAt } from './field-conflict.js';
export type { FieldConflict } from './field-conflict.js';
export { SAFE_WIDENINGS, KNOWN_FIELD_TYPES, checkWidening, describeWidenings } from './widening.js';
export type { WideningReason } from './widening.js';
export {
  SET_ASIDE_FIELD,
  DEGRADED_FIELD,
  MAX_SET_ASIDE_PATHS,
  canSetAside,
  setAsideFields,
  restoreSetAside,
  degradedPaths,
} from './set-aside.js';
export { parseEsConflict } from './elasticsearch/es-conflict.js';
export type { EsCause } from './elasticsearch/es-conflict.js';
export type { FieldTypeGuardOptions } from './field-type-guard.js';
export { FIELD_TYPES, isFieldType } from './field-type-names.js';
export type { FieldType } from './field-type-names.js';
export {
  DEFAULT_RECORDS_INDEX,
  recordsIndexMappings,
  legacyFieldTypes,
  mappingToFieldTypes,
  presetsFromDynamicTemplates,
} from './legacy-mapping.js';
export {
  isSafeFieldPath,
  normalizeQuery,
  scheduledDayRange,
  utcDayRange,
  MAX_LIMIT,
  MAX_RESULT_WINDOW,
  MAX_TAGS,
} from './query.js';
export {
  MAX_EXACT_MATCH_PAIRS,
  MAX_LIST_ITEMS,
  MAX_LIST_ITEM_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_REFERENCED_DIDS,
  MAX_TAG_COUNT,
  MAX_TAG_WINDOW,
  SCHEDULED_DATE_FIELDS,
  dateFilterPath,
  exerciseTypeAliases,
} from './filter-bounds.js';
export { RecordsQuerystringSchema } from './records-querystring.js';
export type { RecordsQuerystring } from './records-querystring.js';
export {
  isVisible,
  recordGrants,
  normalizeAccess,
  RESTRICTED_LEVELS,
  MAX_VIEWER_ORG_DIDS,
  MAX_GRANTEE_LENGTH,
  MAX_RECORD_GRANTEES,
} from './access.js';
export type { RecordGrants } from './access.js';
export type { NormalizedQuery } from './query.js';
export { validateRecord, extractFields, serializeRecord, DEFAULT_MAX_RECORD_BYTES } from './record-fields.js';
export { BULK_CHANNEL } from './diagnostics.js';
export type { BulkDiagnostic } from './diagnostics.js';
export { SqliteRecordStore, createSqliteRecordStore } from './sqlite/sqlite-record-store.js';
export type { SqliteRecordStoreOptions } from './sqlite/sqlite-record-store.js';
export type { MigrationLogger } from './sqlite/migration-progress.js';
export {
  ElasticsearchRecordStore,
  createElasticsearchRecordStore,
} from './elasticsearch/elasticsearch-record-store.js';
export type { ElasticsearchRecordStoreOptions } from './elasticsearch/elasticsearch-record-store.js';
export { createEsClient } from './elasticsearch/es-client.js';
export type { EsClientOptions } from './elasticsearch/es-client.js';
export { mapBulkItemError, mapClientError, PERMANENT_MAPPING_TYPES } from './elasticsearch/es-errors.js';
export { buildSearchRequest } from './elasticsearch/es-query.js';
export { createRecordStore, type RecordStoreOptions } from './create-record-store.js';
export { StoreConfigSchema, STORE_ENV_VARS, storeConfigFromEnv } from './store-config.js';
export type { StoreConfig, StoreEnvOptions } from './store-config.js';
