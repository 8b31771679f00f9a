import { describe, expect, it } from 'vitest';
import { readLocalSettings } from '../local/settings.js';
import { API_GATEWAY_LIMITS, parseList } from './platform.js';
import { envReader, VARIABLES } from './variables.js';

describe('the variables table', () => {
  it('holds a default that its own rule accepts for every defaulted variable', () => {
    for (const v of Object.values(VARIABLES))
      if ('fallback' in v) expect(v.parse(v.default), v.name).toEqual(v.fallback);
  });

  it('reads a blank variable as unset', () => {
    const read = envReader({ PORT: '  ', TABLE_NAME: '' }, 'test');
    expect(read.value(VARIABLES.port)).toBe(3000);
    expect(read.required(VARIABLES.tableName)).toBe('');
    expect(() => read.settle({})).toThrow('Invalid test configuration: TABLE_NAME: is required');
  });

  it('names every broken rule at once', () => {
    expect(() =>
      readLocalSettings({ PORT: '70000', AUTH_MODE: 'jwtt', REQUEST_TIMEOUT_SECONDS: '0', STAGE: 'Dev' }),
    ).toThrow(
      'Invalid local configuration: STAGE: must be lowercase letters, digits and hyphens, starting with a letter, ' +
        'not ending with a hyphen; PORT: must be an integer from 0 to 65535; AUTH_MODE: must be one of token, jwt; ' +
        'REQUEST_TIMEOUT_SECONDS: must be a number above 0, at most 300',
    );
  });

  it("gives npm start API Gateway's own throttle and authorizer cache as defaults", () => {
    const settings = readLocalSettings({});
    expect(settings.throttle).toEqual(API_GATEWAY_LIMITS.throttle);
    expect(settings.authorizerCacheTtlSeconds).toBe(API_GATEWAY_LIMITS.authorizerCacheSeconds.default);
    expect(settings.tableName).toBe('tasks');
  });

  it.each([
    ['off', undefined],
    ['0', 0],
    ['9090', 9090],
  ])('reads APP_PORT=%s', (raw, appPort) => {
    expect(readLocalSettings({ APP_PORT: raw }).appPort).toBe(appPort);
  });

  it('parses a comma-separated list one way, trimmed and without empty entries', () => {
    expect(parseList(' a, ,b ,,c')).toEqual(['a', 'b', 'c']);
    expect(readLocalSettings({ CORS_ALLOWED_ORIGINS: ' a, ,b ' }).corsOrigins).toEqual(['a', 'b']);
  });
});
