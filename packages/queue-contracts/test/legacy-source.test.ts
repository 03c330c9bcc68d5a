// The contract of a migrated record's replay: its dead letter's `legacy-es:<url>/<index>` source,
// the legacy index kind of its record type, and the migrate-record payload.
import { describe, expect, it } from 'vitest';
import {
  MigrateRecordPayloadSchema,
  PayloadError,
  isLegacyEsSource,
  legacyKindOfType,
  parseLegacyEsSource,
  validatePayload,
} from '../src/index.js';

describe('legacy-es sources', () => {
  it.each([
    ['legacy-es:http://10.0.0.5:9200/records', { url: 'http://10.0.0.5:9200', index: 'records' }],
    ['legacy-es:https://es.example/prefix/templates', { url: 'https://es.example/prefix', index: 'templates' }],
    ['legacy-es:http://h:9200/', null],
    ['legacy-es:records', null],
    ['http://relay:8765', null],
  ])('%s', (source, parsed) => {
    expect(parseLegacyEsSource(source)).toEqual(parsed);
    expect(isLegacyEsSource(source)).toBe(source.startsWith('legacy-es:'));
  });

  it('names the index each record type came from (legacy kept registries apart)', () => {
    expect(['template', 'creatorRegistration', 'organization', 'workout', 'post'].map(legacyKindOfType)).toEqual([
      'templates',
      'creatorregistrations',
      'organizations',
      'records',
      'records',
    ]);
  });
});

describe('MigrateRecordPayloadSchema', () => {
  const ok = {
    did: 'did:arweave:EX1',
    docId: 'did:arweave:EX1',
    kind: 'records',
    source: 'legacy-es:http://127.0.0.1:9200/records',
    recordType: 'exercise',
    version: 'a1b2c3',
    discoveredAt: 1,
    replay: 2,
  };

  it('takes a migrated record of any DID method', () => {
    expect(validatePayload(MigrateRecordPayloadSchema, ok, 'p')).toEqual(ok);
  });

  it.each([
    ['a relay as the source', { ...ok, source: 'http://relay:8765' }],
    ['an unknown kind', { ...ok, kind: 'users' }],
    ['a DID that is none', { ...ok, did: 'records/x' }],
    ['another field', { ...ok, relay: 'x' }],
  ])('refuses %s', (_name, payload) => {
    expect(() => validatePayload(MigrateRecordPayloadSchema, payload, 'p')).toThrow(PayloadError);
  });
});
