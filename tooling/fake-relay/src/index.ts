export { startFakeRelay } from './relay.js';
export type { FakeRelay, FakeRelayOptions, RequestLogEntry } from './relay.js';
export type { Fault } from './faults.js';
export { RelayStore } from './store.js';
export type { ListEntry, RelayMode } from './store.js';
export { isLink } from './legacy-graph.js';
export type { GunLink } from './legacy-graph.js';
export { LegacyPublisher, convertArraysForGUN } from './legacy-publisher.js';
export type { LegacyPublishInput, LegacyPublisherOptions } from './legacy-publisher.js';
