// SYNC_ON_MAPPING_CONFLICT: deadletter (default) or degrade; anything else stops the start with
// one line naming the variable.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('config: SYNC_ON_MAPPING_CONFLICT', () => {
  it('defaults to deadletter and takes degrade (any case)', () => {
    expect(loadConfig({}).onMappingConflict).toBe('deadletter');
    expect(loadConfig({ SYNC_ON_MAPPING_CONFLICT: 'Degrade' }).onMappingConflict).toBe('degrade');
    expect(loadConfig({ SYNC_ON_MAPPING_CONFLICT: '' }).onMappingConflict).toBe('deadletter');
  });

  it('refuses another value, naming the variable', () => {
    expect(() => loadConfig({ SYNC_ON_MAPPING_CONFLICT: 'drop' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', variable: 'SYNC_ON_MAPPING_CONFLICT' }),
    );
  });
});
