import * as z from 'zod';

/**
 * Environment, read once per container and validated up front: a misconfigured function fails at init
 * with a message that names the variable, instead of failing some requests later.
 */
const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    );

const TaskFunctionEnv = z.object({
  TABLE_NAME: z.string().min(1, 'TABLE_NAME is required'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  CORS_ALLOWED_ORIGINS: list('*'),
  AWS_REGION: z.string().default('us-east-1'),
});

const AuthorizerEnv = z.discriminatedUnion('AUTH_MODE', [
  z.object({
    AUTH_MODE: z.literal('token'),
    API_TOKEN: z.string().optional(),
    API_TOKENS: z.string().optional(),
    /** In the cloud the tokens live in Secrets Manager; only the secret's ARN is in the environment. */
    TOKENS_SECRET_ARN: z.string().optional(),
    TOKENS_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  }),
  z.object({
    AUTH_MODE: z.literal('jwt'),
    JWT_ISSUER: z.string().min(1, 'JWT_ISSUER is required in jwt mode'),
    JWT_JWKS_URL: z.url({ error: 'JWT_JWKS_URL must be a URL' }),
    JWT_AUDIENCE: z.string().optional(),
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

function parseEnv<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv, what: string): T {
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
