import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini starts without messages; these are the ones classic zod prints (`Invalid input: expected string…`).
z.config(en());

/**
 * Environment, read once per container and validated up front: a misconfigured function fails at init
 * with a message that names the variable, instead of failing some requests later.
 */
const list = (fallback: string) =>
  z.pipe(
    z._default(z.string(), fallback),
    z.transform((value: string) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  );

const TaskFunctionEnv = z.object({
  TABLE_NAME: z.string().check(z.minLength(1, 'TABLE_NAME is required')),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  CORS_ALLOWED_ORIGINS: list('*'),
  AWS_REGION: z._default(z.string(), 'us-east-1'),
});

const AuthorizerEnv = z.discriminatedUnion('AUTH_MODE', [
  z.object({
    AUTH_MODE: z.literal('token'),
    API_TOKEN: z.optional(z.string()),
    API_TOKENS: z.optional(z.string()),
    /** In the cloud the tokens live in Secrets Manager; only the secret's ARN is in the environment. */
    TOKENS_SECRET_ARN: z.optional(z.string()),
    TOKENS_CACHE_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(3600)), 300),
  }),
  z.object({
    AUTH_MODE: z.literal('jwt'),
    JWT_ISSUER: z.string().check(z.minLength(1, 'JWT_ISSUER is required in jwt mode')),
    JWT_JWKS_URL: z.url({ error: 'JWT_JWKS_URL must be a URL' }),
    JWT_AUDIENCE: z.optional(z.string()),
    JWT_CLIENT_IDS: list(''),
  }),
]);

export type TaskFunctionConfig = Readonly<{
  tableName: string;
  dynamoEndpoint: string | undefined;
  corsOrigins: readonly string[];
  region: string;
}>;

export type AuthorizerConfig = Readonly<z.infer<typeof AuthorizerEnv>>;

function parseEnv<T>(schema: z.ZodMiniType<T>, env: NodeJS.ProcessEnv, what: string): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new Error(`Invalid ${what} configuration: ${problems}`);
}

export function loadTaskFunctionConfig(env: NodeJS.ProcessEnv): TaskFunctionConfig {
  const parsed = parseEnv(TaskFunctionEnv, env, 'task function');
  return Object.freeze({
    tableName: parsed.TABLE_NAME,
    dynamoEndpoint: parsed.DYNAMODB_ENDPOINT,
    corsOrigins: Object.freeze(parsed.CORS_ALLOWED_ORIGINS),
    region: parsed.AWS_REGION,
  });
}

export function loadAuthorizerConfig(env: NodeJS.ProcessEnv): AuthorizerConfig {
  return Object.freeze(parseEnv(AuthorizerEnv, { AUTH_MODE: 'token', ...env }, 'authorizer'));
}
