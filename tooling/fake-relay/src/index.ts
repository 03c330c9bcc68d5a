export { startFakeRelay } from './relay.js';
export type { FakeRelay, FakeRelayOptions, RequestLogEntry } from './relay.js';
export type { Fault } from './faults.js';
export { RelayStore } from './store.js';
export type { ListEntry } from './store.js';
