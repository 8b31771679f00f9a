/**
 * Environment, read once per container and validated up front: a misconfigured function fails at init
 * with a message that names each wrong variable, instead of failing some requests later.
 *
 * Read by hand rather than with a zod schema: building the first zod schemas at import is about a third of
 * the authorizer's cold start (docs/performance.md), and nine variables need only these few checks.
 */

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

export type AuthorizerConfig = Readonly<
  | {
      AUTH_MODE: 'token';
      API_TOKEN: string | undefined;
      API_TOKENS: string | undefined;
      /** In the cloud the tokens live in Secrets Manager; only the secret's ARN is in the environment. */
      TOKENS_SECRET_ARN: string | undefined;
      TOKENS_CACHE_SECONDS: number;
    }
  | {
      AUTH_MODE: 'jwt';
      JWT_ISSUER: string;
      JWT_JWKS_URL: string;
      JWT_AUDIENCE: string | undefined;
      JWT_CLIENT_IDS: readonly string[];
    }
>;

/** Reads variables, collecting every problem so one failed deploy names them all. */
function reader(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const optional = (key: string) => env[key];
  return {
    problems,
    optional,
    required(key: string, message = `${key} is required`): string {
      const value = env[key];
      if (!value) problems.push(`${key}: ${message}`);
      return value ?? '';
    },
    url(key: string, value: string | undefined): string | undefined {
      if (value && !URL.canParse(value)) problems.push(`${key}: ${key} must be a URL`);
      return value;
    },
    integer(key: string, fallback: number, min: number, max: number): number {
      const raw = env[key]?.trim();
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max)
        problems.push(`${key}: must be an integer from ${min} to ${max}`);
      return value;
    },
    list: (key: string, fallback: string): readonly string[] =>
      Object.freeze(
        (env[key] ?? fallback)
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      ),
  };
}

function settled<T>(read: ReturnType<typeof reader>, what: string, config: T): Readonly<T> {
  if (read.problems.length > 0) throw new Error(`Invalid ${what} configuration: ${read.problems.join('; ')}`);
  return Object.freeze(config);
}

/** Exactly one of CURSOR_KEY_SECRET_ARN (the cloud) and CURSOR_KEY (npm start). */
function cursorKeyOf(read: ReturnType<typeof reader>): TaskFunctionConfig['cursorKey'] {
  const secretArn = read.optional('CURSOR_KEY_SECRET_ARN');
  const value = read.optional('CURSOR_KEY');
  if (secretArn && value) read.problems.push('CURSOR_KEY: set CURSOR_KEY_SECRET_ARN or CURSOR_KEY, not both');
  if (value !== undefined && Buffer.byteLength(value) < 32)
    read.problems.push('CURSOR_KEY: must be at least 32 bytes of secret material');
  if (secretArn) return { secretArn };
  if (value) return { value };
  read.problems.push('CURSOR_KEY_SECRET_ARN: CURSOR_KEY_SECRET_ARN (or CURSOR_KEY locally) is required');
  return { value: '' };
}

export function loadTaskFunctionConfig(env: NodeJS.ProcessEnv): TaskFunctionConfig {
  const read = reader(env);
  return settled(read, 'task function', {
    tableName: read.required('TABLE_NAME'),
    dynamoEndpoint: read.url('DYNAMODB_ENDPOINT', read.optional('DYNAMODB_ENDPOINT')),
    corsOrigins: read.list('CORS_ALLOWED_ORIGINS', '*'),
    region: read.optional('AWS_REGION') ?? 'us-east-1',
    cursorKey: cursorKeyOf(read),
  });
}

export function loadAuthorizerConfig(env: NodeJS.ProcessEnv): AuthorizerConfig {
  const read = reader(env);
  const mode = env.AUTH_MODE ?? 'token';
  if (mode === 'jwt')
    return settled(read, 'authorizer', {
      AUTH_MODE: mode,
      JWT_ISSUER: read.required('JWT_ISSUER', 'JWT_ISSUER is required in jwt mode'),
      JWT_JWKS_URL: read.url('JWT_JWKS_URL', read.required('JWT_JWKS_URL')) ?? '',
      JWT_AUDIENCE: read.optional('JWT_AUDIENCE'),
      JWT_CLIENT_IDS: read.list('JWT_CLIENT_IDS', ''),
    });
  if (mode !== 'token') read.problems.push(`AUTH_MODE: must be token or jwt, not ${JSON.stringify(mode)}`);
  return settled(read, 'authorizer', {
    AUTH_MODE: 'token',
    API_TOKEN: read.optional('API_TOKEN'),
    API_TOKENS: read.optional('API_TOKENS'),
    TOKENS_SECRET_ARN: read.optional('TOKENS_SECRET_ARN'),
    TOKENS_CACHE_SECONDS: read.integer('TOKENS_CACHE_SECONDS', 300, 0, 3600),
  });
}
