import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_API_URL, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('takes the first argument, then OIP_API_URL, then the default; a trailing slash is dropped', () => {
    const env = { OIP_API_URL: 'http://env.example:3005/' };
    expect(loadConfig(['http://arg.example:1234/'], env).apiUrl).toBe('http://arg.example:1234');
    expect(loadConfig([], env).apiUrl).toBe('http://env.example:3005');
    expect(loadConfig([], {}).apiUrl).toBe(DEFAULT_API_URL);
  });

  it('refuses what is not an http(s) URL, naming where it came from', () => {
    expect(() => loadConfig(['not a url'], {})).toThrow(
      new ConfigError('the api URL (first argument or OIP_API_URL) is not a URL: not a url'),
    );
    expect(() => loadConfig([], { OIP_API_URL: 'ftp://x.example' })).toThrow(/must be http\(s\): ftp:\/\/x\.example/);
  });

  it('logs in with OIP_EMAIL and OIP_PASSWORD together; one alone is refused', () => {
    expect(loadConfig([], {}).account).toBeNull();
    expect(loadConfig([], { OIP_EMAIL: 'a@example.org', OIP_PASSWORD: 'pw' }).account).toEqual({
      email: 'a@example.org',
      password: 'pw',
    });
    expect(() => loadConfig([], { OIP_EMAIL: 'a@example.org' })).toThrow(/both OIP_EMAIL and OIP_PASSWORD/);
  });
});
