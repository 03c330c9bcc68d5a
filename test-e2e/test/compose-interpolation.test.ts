// The compose files interpolate the same under docker compose and podman-compose 1.0.3 (Debian's,
// which CI's smoke test runs): podman-compose leaves `${VAR:-}` (an empty default) as that literal
// text, so a service got `GUN_NODE_ID_OVERRIDE=${GUN_NODE_ID_OVERRIDE:-}` (and refused to start)
// or a secret variable set to a known string. An unset `${VAR}` is empty under both.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const infra = path.join(import.meta.dirname, '..', '..', 'infra');
const files = readdirSync(infra).filter((f) => /^compose.*\.ya?ml$/.test(f));

describe('compose files', () => {
  it('are found', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('%s has no empty `:-` default', (file) => {
    const text = readFileSync(path.join(infra, file), 'utf8');
    const lines = text.split('\n').filter((l) => !l.trimStart().startsWith('#'));
    expect(lines.filter((l) => /\$\{[A-Za-z_][A-Za-z0-9_]*:?-\}/.test(l))).toEqual([]);
  });
});
