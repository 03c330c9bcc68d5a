import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../src/index.js';
import { readEnv, validateConfig, type EnvSpec } from '../src/index.js';

const Schema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8765 }),
  host: Type.String({ minLength: 1, default: '127.0.0.1' }),
  peers: Type.Array(Type.String(), { default: [] }),
  verbose: Type.Boolean({ default: false }),
});
const spec: EnvSpec = {
  port: { vars: ['GUNPROXY_PORT', 'PORT'], kind: 'int' },
  host: { vars: ['GUNPROXY_HOST', 'HOST'] },
  peers: { vars: ['GUNPROXY_PEERS', 'GUN_PEERS'], kind: 'list' },
  verbose: { vars: ['GUNPROXY_VERBOSE'], kind: 'bool' },
};
const load = (env: Record<string, string>) => validateConfig(Schema, readEnv(env, spec), spec);

describe('readEnv + validateConfig', () => {
  it('applies defaults when nothing is set', () => {
    expect(load({})).toEqual({ port: 8765, host: '127.0.0.1', peers: [], verbose: false });
  });

  it('lets the prefixed variable win over the bare one, and a legacy alias fill in', () => {
    expect(
      load({ PORT: '3005', GUNPROXY_PORT: '8800', HOST: '0.0.0.0', GUN_PEERS: ' ws://a:1/gun , ,ws://b:2/gun' }),
    ).toEqual({
      port: 8800,
      host: '0.0.0.0',
      peers: ['ws://a:1/gun', 'ws://b:2/gun'],
      verbose: false,
    });
    expect(load({ PORT: '3005' }).port).toBe(3005);
    expect(load({ GUNPROXY_PORT: '   ', PORT: '3005' }).port).toBe(3005);
  });

  it('names the variable that was set when its text does not parse', () => {
    const err = (() => {
      try {
        load({ PORT: 'eighty' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', variable: 'PORT' });
    expect(err.message).toBe('PORT must be an integer, got "eighty"');
    expect(() => load({ GUNPROXY_VERBOSE: 'maybe' })).toThrow('GUNPROXY_VERBOSE must be true or false, got "maybe"');
  });

  it('names the variable the environment set when given the environment (a legacy alias, say)', () => {
    const env = { PORT: '70000' };
    expect(() => validateConfig(Schema, readEnv(env, spec), spec, undefined, env)).toThrow(
      expect.objectContaining({ variable: 'PORT', message: expect.stringMatching(/^invalid PORT: /) }),
    );
    const both = { GUNPROXY_PORT: '70000', PORT: '80' };
    expect(() => validateConfig(Schema, readEnv(both, spec), spec, undefined, both)).toThrow(
      /^invalid GUNPROXY_PORT: /,
    );
    // A field no variable set (a value built in code) still names its first variable.
    expect(() => validateConfig(Schema, { port: -1 }, spec, undefined, {})).toThrow(/^invalid GUNPROXY_PORT: /);
  });

  it('names the variable set (or the fallback name) when the schema rejects a value', () => {
    expect(() => load({ PORT: '70000' })).toThrow(/^invalid PORT: /);
    expect(() => load({ GUNPROXY_PORT: '70000' })).toThrow(/^invalid GUNPROXY_PORT: /);
    expect(() => validateConfig(Schema, { extra: 1, host: '' }, {}, (k) => `X_${k.toUpperCase()}`)).toThrow(
      /^invalid X_HOST: /,
    );
  });
});
