/**
 * The Lambda functions' environments, both sides: what each entry file reads (once per container,
 * validated up front, so a misconfigured function fails at init with a message naming each wrong
 * variable) and what the CDK stack writes, through the same rows of the variables table.
 * `test/infra/function-env.test.ts` checks the synthesized functions against these loaders.
 */
import type { AuthMode } from './platform.js';
import { envReader, VARIABLES as V } from './variables.js';

type Env = Readonly<Record<string, string | undefined>>;

export type TaskFunctionConfig = Readonly<{
  tableName: string;
  dynamoEndpoint: string | undefined;
  corsOrigins: readonly string[];
  region: string;
  /**
   * The key material list cursors are signed with: on AWS a Secrets Manager secret, named by its ARN
   * (never the key itself in the environment); under `npm start` the key, kept in DATA_DIR.
   */
  cursorKey: Readonly<{ secretArn: string } | { value: string }>;
}>;

/** The list purge function: the table it purges, and where DynamoDB is. */
export type PurgeFunctionConfig = Readonly<{
  tableName: string;
  dynamoEndpoint: string | undefined;
  region: string;
}>;

export type AuthorizerConfig = Readonly<
  | {
      authMode: Extract<AuthMode, 'token'>;
      apiToken: string | undefined;
      apiTokens: string | undefined;
      /** In the cloud the tokens live in Secrets Manager; only the secret's ARN is in the environment. */
      tokensSecretArn: string | undefined;
      tokensCacheSeconds: number;
      region: string;
    }
  | {
      authMode: Extract<AuthMode, 'jwt'>;
      jwtIssuer: string;
      jwtJwksUrl: string;
      jwtAudience: string | undefined;
      jwtClientIds: readonly string[];
    }
>;

export function loadTaskFunctionConfig(env: Env): TaskFunctionConfig {
  const read = envReader(env, 'task function');
  return read.settle({
    tableName: read.required(V.tableName),
    dynamoEndpoint: read.optional(V.dynamoEndpoint),
    corsOrigins: Object.freeze(read.value(V.corsOrigins)),
    region: read.value(V.region),
    cursorKey: cursorKeyOf(read),
  });
}

/** Exactly one of CURSOR_KEY_SECRET_ARN (the cloud) and CURSOR_KEY (npm start). */
function cursorKeyOf(read: ReturnType<typeof envReader>): TaskFunctionConfig['cursorKey'] {
  const secretArn = read.optional(V.cursorKeySecretArn);
  const value = read.optional(V.cursorKey);
  if (secretArn && value)
    read.problem(`${V.cursorKey.name}: set ${V.cursorKeySecretArn.name} or ${V.cursorKey.name}, not both`);
  if (secretArn) return { secretArn };
  if (value) return { value };
  return { secretArn: read.required(V.cursorKeySecretArn, ` (or ${V.cursorKey.name} locally)`) };
}

export function loadPurgeConfig(env: Env): PurgeFunctionConfig {
  const read = envReader(env, 'purge function');
  return read.settle({
    tableName: read.required(V.tableName),
    dynamoEndpoint: read.optional(V.dynamoEndpoint),
    region: read.value(V.region),
  });
}

export function loadAuthorizerConfig(env: Env): AuthorizerConfig {
  const read = envReader(env, 'authorizer');
  if (read.value(V.authMode) === 'jwt')
    return read.settle({
      authMode: 'jwt',
      jwtIssuer: read.required(V.jwtIssuer, ' in jwt mode'),
      jwtJwksUrl: read.required(V.jwtJwksUrl, ' in jwt mode'),
      jwtAudience: read.optional(V.jwtAudience),
      jwtClientIds: Object.freeze(read.optional(V.jwtClientIds) ?? []),
    });
  return read.settle({
    authMode: 'token',
    apiToken: read.optional(V.apiToken),
    apiTokens: read.optional(V.apiTokens),
    tokensSecretArn: read.optional(V.tokensSecretArn),
    tokensCacheSeconds: read.value(V.tokensCacheSeconds),
    region: read.value(V.region),
  });
}

/** What the stack sets on the task function (Lambda sets AWS_REGION itself). */
export const taskFunctionEnvironment = (values: {
  tableName: string;
  corsOrigins: readonly string[];
  cursorKeySecretArn: string;
}): Record<string, string> => ({
  [V.tableName.name]: values.tableName,
  [V.corsOrigins.name]: values.corsOrigins.join(','),
  [V.cursorKeySecretArn.name]: values.cursorKeySecretArn,
});

/** What the stack sets on the purge function (Lambda sets AWS_REGION itself). */
export const purgeFunctionEnvironment = (values: { tableName: string }): Record<string, string> => ({
  [V.tableName.name]: values.tableName,
});

/** What the stack sets on the authorizer: the secret's ARN in token mode, the issuer in jwt mode. */
export const authorizerEnvironment = (
  values:
    | { authMode: 'token'; tokensSecretArn: string; tokensCacheSeconds: number }
    | { authMode: 'jwt'; jwtIssuer: string; jwtJwksUrl: string; jwtClientIds: readonly string[] },
): Record<string, string> =>
  values.authMode === 'token'
    ? {
        [V.authMode.name]: values.authMode,
        [V.tokensSecretArn.name]: values.tokensSecretArn,
        [V.tokensCacheSeconds.name]: String(values.tokensCacheSeconds),
      }
    : {
        [V.authMode.name]: values.authMode,
        [V.jwtIssuer.name]: values.jwtIssuer,
        [V.jwtJwksUrl.name]: values.jwtJwksUrl,
        [V.jwtClientIds.name]: values.jwtClientIds.join(','),
      };
