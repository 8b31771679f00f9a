import { describe, expect, it } from 'vitest';
import { CURSOR_KEY_MIN_BYTES } from '../store/cursor.js';
import {
  authorizerEnvironment,
  loadAuthorizerConfig,
  loadPurgeConfig,
  loadTaskFunctionConfig,
  purgeFunctionEnvironment,
  taskFunctionEnvironment,
} from './function-env.js';

const KEY = 'k'.repeat(32);

describe('the task function configuration', () => {
  it('reads the table, the endpoint, the CORS origins and the region', () => {
    const config = loadTaskFunctionConfig({
      TABLE_NAME: 'tasks',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      CORS_ALLOWED_ORIGINS: ' https://a.example , ,https://b.example ',
      AWS_REGION: 'eu-west-1',
      CURSOR_KEY_SECRET_ARN: 'arn:cursor',
    });
    expect(config).toEqual({
      tableName: 'tasks',
      dynamoEndpoint: 'http://127.0.0.1:8000',
      corsOrigins: ['https://a.example', 'https://b.example'],
      region: 'eu-west-1',
      cursorKey: { secretArn: 'arn:cursor' },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('defaults to any origin and us-east-1, and no local endpoint', () => {
    expect(loadTaskFunctionConfig({ TABLE_NAME: 't', CURSOR_KEY: KEY })).toEqual({
      tableName: 't',
      dynamoEndpoint: undefined,
      corsOrigins: ['*'],
      region: 'us-east-1',
      cursorKey: { value: KEY },
    });
  });

  it('names every wrong variable at once', () => {
    expect(() => loadTaskFunctionConfig({ TABLE_NAME: '', DYNAMODB_ENDPOINT: 'not a url' })).toThrow(
      'Invalid task function configuration: TABLE_NAME: is required; DYNAMODB_ENDPOINT: must be a URL; CURSOR_KEY_SECRET_ARN: is required (or CURSOR_KEY locally)',
    );
  });

  it('reads what the stack writes', () => {
    const env = taskFunctionEnvironment({
      tableName: 'tasks-dev',
      corsOrigins: ['https://a.example', '*'],
      cursorKeySecretArn: 'arn:cursor',
    });
    expect(loadTaskFunctionConfig(env)).toMatchObject({
      tableName: 'tasks-dev',
      corsOrigins: ['https://a.example', '*'],
      cursorKey: { secretArn: 'arn:cursor' },
    });
  });

  it('refuses a cursor key shorter than 32 bytes, and two sources of it', () => {
    expect(() => loadTaskFunctionConfig({ TABLE_NAME: 't', CURSOR_KEY: 'short' })).toThrow(
      /at least 32 bytes/,
    );
    expect(() =>
      loadTaskFunctionConfig({ TABLE_NAME: 't', CURSOR_KEY: KEY, CURSOR_KEY_SECRET_ARN: 'arn:cursor' }),
    ).toThrow(/not both/);
  });

  it('asks of CURSOR_KEY exactly the length the cursor codec needs', () => {
    const atLeast = 'k'.repeat(CURSOR_KEY_MIN_BYTES);
    expect(loadTaskFunctionConfig({ TABLE_NAME: 't', CURSOR_KEY: atLeast }).cursorKey).toEqual({
      value: atLeast,
    });
    expect(() => loadTaskFunctionConfig({ TABLE_NAME: 't', CURSOR_KEY: atLeast.slice(1) })).toThrow(
      `at least ${CURSOR_KEY_MIN_BYTES} bytes`,
    );
  });
});

describe('the purge function configuration', () => {
  it('reads the table, the endpoint and the region, with us-east-1 and no endpoint by default', () => {
    expect(loadPurgeConfig({ TABLE_NAME: 'tasks', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toEqual({
      tableName: 'tasks',
      dynamoEndpoint: 'http://127.0.0.1:8000',
      region: 'us-east-1',
    });
  });

  it('requires the table, naming every wrong variable at once', () => {
    expect(() => loadPurgeConfig({ DYNAMODB_ENDPOINT: 'not a url' })).toThrow(
      'Invalid purge function configuration: TABLE_NAME: is required; DYNAMODB_ENDPOINT: must be a URL',
    );
  });

  it('reads what the stack writes', () => {
    expect(loadPurgeConfig(purgeFunctionEnvironment({ tableName: 'tasks-dev' }))).toMatchObject({
      tableName: 'tasks-dev',
    });
  });
});

describe('the authorizer configuration', () => {
  it('is token mode by default, with a 300 s cache of the tokens secret', () => {
    expect(loadAuthorizerConfig({ API_TOKEN: 'x', TOKENS_SECRET_ARN: 'arn:secret' })).toEqual({
      authMode: 'token',
      apiToken: 'x',
      apiTokens: undefined,
      tokensSecretArn: 'arn:secret',
      tokensCacheSeconds: 300,
      region: 'us-east-1',
    });
  });

  it.each(['1.5', 'abc', '-1', '3601'])('refuses TOKENS_CACHE_SECONDS=%s', (value) => {
    expect(() => loadAuthorizerConfig({ TOKENS_CACHE_SECONDS: value })).toThrow(
      'Invalid authorizer configuration: TOKENS_CACHE_SECONDS: must be an integer from 0 to 3600',
    );
  });

  it('accepts a cache time from 0 to 3600 s', () => {
    expect(loadAuthorizerConfig({ TOKENS_CACHE_SECONDS: '0' })).toMatchObject({ tokensCacheSeconds: 0 });
    expect(loadAuthorizerConfig({ TOKENS_CACHE_SECONDS: '3600' })).toMatchObject({
      tokensCacheSeconds: 3600,
    });
  });

  it('reads jwt mode: issuer, JWKS URL, audience and client ids', () => {
    expect(
      loadAuthorizerConfig({
        AUTH_MODE: 'jwt',
        JWT_ISSUER: 'https://issuer.example',
        JWT_JWKS_URL: 'https://issuer.example/jwks.json',
        JWT_CLIENT_IDS: 'a, b',
      }),
    ).toEqual({
      authMode: 'jwt',
      jwtIssuer: 'https://issuer.example',
      jwtJwksUrl: 'https://issuer.example/jwks.json',
      jwtAudience: undefined,
      jwtClientIds: ['a', 'b'],
    });
  });

  it('requires an issuer and a JWKS URL in jwt mode', () => {
    expect(() => loadAuthorizerConfig({ AUTH_MODE: 'jwt', JWT_JWKS_URL: 'nope' })).toThrow(
      'Invalid authorizer configuration: JWT_ISSUER: is required in jwt mode; JWT_JWKS_URL: must be a URL',
    );
  });

  it('refuses an unknown mode', () => {
    expect(() => loadAuthorizerConfig({ AUTH_MODE: 'open' })).toThrow(
      'Invalid authorizer configuration: AUTH_MODE: must be one of token, jwt',
    );
  });

  it.each([
    { authMode: 'token', tokensSecretArn: 'arn:secret', tokensCacheSeconds: 60 } as const,
    {
      authMode: 'jwt',
      jwtIssuer: 'https://issuer.example',
      jwtJwksUrl: 'https://issuer.example/jwks.json',
      jwtClientIds: ['a', 'b'],
    } as const,
  ])('reads what the stack writes in $authMode mode', (written) => {
    expect(loadAuthorizerConfig(authorizerEnvironment(written))).toMatchObject(written);
  });
});
