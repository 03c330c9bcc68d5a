export { giveUp, until } from './until.js';
export type { UntilOptions } from './until.js';
export { TestKitError } from './errors.js';
export type { TestKitErrorCode } from './errors.js';
export { storedRecord, legacyRecord, TEST_PUBLIC_KEY } from './records.js';
export type { StoredRecord, StoredRecordSpec, LegacyRecord, LegacyRecordOptions } from './records.js';
export { startProcess } from './process.js';
export type { StartProcessOptions, StartedProcess } from './process.js';
export { rawRequest } from './raw-request.js';
export { startEs8StandIn } from './es8-stand-in.js';
export type { Es8StandIn } from './es8-stand-in.js';
export type { RawResponse } from './raw-request.js';
export {
  LEGACY_USERS_MAPPINGS,
  createLegacyUsersIndex,
  dropIndex as dropElasticsearchIndex,
  legacySeal,
  legacyUserDocument,
} from './legacy-users.js';
export type { LegacyKeys, LegacyUserDocument, LegacyUserSpec } from './legacy-users.js';
export { LEGACY_MAPPINGS, legacyIndexBody } from './legacy-indices.js';
export type { LegacyIndexKind } from './legacy-indices.js';
export { runNode } from './run-node.js';
export type { NodeRun, NodeRunOptions } from './run-node.js';
export { legacyArweaveSource, legacyGunSource } from './legacy-records.js';
export type { LegacyArweaveSpec, LegacyCreator, LegacyDoc, LegacyGunSpec } from './legacy-records.js';
export { isNodeDefaultMetric, metricFamilies, metricNameProblems, monitoringMetricNames } from './metric-names.js';
