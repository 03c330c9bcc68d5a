// An invalid log level stops the config with one line naming the variable the operator set and
// the values it takes.
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { LOG_LEVELS, LogLevelSchema, readEnv, validateConfig, type EnvSpec } from '../src/index.js';

const Schema = Type.Object({ logLevel: LogLevelSchema });
const spec: EnvSpec = { logLevel: { vars: ['API_LOG_LEVEL', 'LOG_LEVEL'] } };
const load = (env: Record<string, string>) => validateConfig(Schema, readEnv(env, spec), spec, (k) => k, env);

describe('LOG_LEVEL', () => {
  it.each([
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', '"verbose"'],
    [{ API_LOG_LEVEL: 'loud' }, 'API_LOG_LEVEL', '"loud"'],
  ])('%j: one line naming %s, the allowed values and what it got', (env, variable, got) => {
    let caught: { message: string; variable?: string; code?: string } | undefined;
    try {
      load(env);
    } catch (err) {
      caught = err as typeof caught;
    }
    expect(caught).toMatchObject({ code: 'CONFIG_INVALID', variable });
    expect(caught!.message).toBe(`invalid ${variable}: must be one of ${LOG_LEVELS.join(', ')}, got ${got}`);
    expect(caught!.message).not.toContain('\n');
  });

  it('names the variable set without the environment, when the object is the one readEnv read', () => {
    const raw = readEnv({ LOG_LEVEL: 'verbose' }, spec);
    expect(() => validateConfig(Schema, raw, spec)).toThrow(/^invalid LOG_LEVEL: must be one of fatal, /u);
    // An object made otherwise names the field's first variable.
    expect(() => validateConfig(Schema, { logLevel: 'verbose' }, spec)).toThrow(/^invalid API_LOG_LEVEL: /u);
  });

  it('takes each allowed level, info by default', () => {
    expect(load({}).logLevel).toBe('info');
    for (const level of LOG_LEVELS) expect(load({ LOG_LEVEL: level }).logLevel).toBe(level);
  });
});
