/**
 * Every environment variable the service reads, in one table: its name, the rule a value must meet (the
 * parser) and its default, written as the environment would write it. The Lambda entry files
 * (`function-env.ts`), `npm start` (`src/local/settings.ts`) and the CDK code that writes a function's
 * environment all go through this table, and docs/operate.md's tables are tested against it. A default is
 * written as the environment would write it and parsed by the variable's own rule. Parsed by hand, not
 * with zod: the authorizer imports this at cold start. To add a variable, add a row here and read
 * it where it is used (docs/contributing.md, "Add a setting").
 */
import {
  API_GATEWAY_LIMITS,
  AUTH_MODES,
  DEFAULT_REGION,
  DEFAULT_STAGE,
  parseList,
  STAGE_PATTERN,
  STAGE_RULE,
} from './platform.js';

export interface Variable<T> {
  readonly name: string;
  /** What a value must be, as an error message says it (`must be <rule>`). */
  readonly rule: string;
  /** The value of a set variable, or `undefined` when it breaks the rule. */
  readonly parse: (raw: string) => T | undefined;
  /** The default, when the variable has one (see DefaultedVariable). */
  readonly default?: string;
}

/** A variable with a default: the value when it is unset or blank. */
export interface DefaultedVariable<T> extends Variable<T> {
  /** The default as the environment would write it (the docs show this). */
  readonly default: string;
  readonly fallback: T;
}

const variable = <T>(name: string, rule: string, parse: (raw: string) => T | undefined): Variable<T> =>
  Object.freeze({ name, rule, parse });

/** The variable with a default, parsed by its own rule (a default that breaks it fails at import). */
function withDefault<T>(v: Variable<T>, text: string | number): DefaultedVariable<T> {
  const fallback = v.parse(String(text));
  if (fallback === undefined) throw new Error(`${v.name}: the default ${text} must be ${v.rule}`);
  return Object.freeze({ ...v, default: String(text), fallback });
}

const text = (name: string) => variable(name, 'text', (raw) => raw);
const url = (name: string) => variable(name, 'a URL', (raw) => (URL.canParse(raw) ? raw : undefined));
const list = (name: string) => variable(name, 'a comma-separated list', parseList);
const inRange = (value: number, min: number, max: number) => value >= min && value <= max;
const integer = (name: string, min: number, max: number) =>
  variable(name, `an integer from ${min} to ${max}`, (raw) =>
    Number.isInteger(Number(raw)) && inRange(Number(raw), min, max) ? Number(raw) : undefined,
  );
const positive = (name: string, max = Number.POSITIVE_INFINITY) =>
  variable(
    name,
    max < Number.POSITIVE_INFINITY ? `a number above 0, at most ${max}` : 'a number above 0',
    (raw) => (Number(raw) > 0 && Number(raw) <= max ? Number(raw) : undefined),
  );
const oneOf = <V extends string>(name: string, values: readonly V[]) =>
  variable(name, `one of ${values.join(', ')}`, (raw) => values.find((value) => value === raw));
const onOff = (name: string) =>
  variable(name, 'on or off', (raw) => (raw === 'on' ? true : raw === 'off' ? false : undefined));
const port = (name: string) => integer(name, 0, 65_535);

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;
/** How `npm start` writes its logs (src/local/log-format.ts says what each means). */
export const LOG_FORMATS = ['short', 'json', 'pretty'] as const;
const cache = API_GATEWAY_LIMITS.authorizerCacheSeconds;

export const VARIABLES = Object.freeze({
  // The task function (set by the stack; AWS_REGION by Lambda itself).
  tableName: text('TABLE_NAME'),
  dynamoEndpoint: url('DYNAMODB_ENDPOINT'),
  corsOrigins: withDefault(list('CORS_ALLOWED_ORIGINS'), '*'),
  region: withDefault(text('AWS_REGION'), DEFAULT_REGION),
  /** The cursor key's secret on AWS (its ARN only; the key never sits in the environment). */
  cursorKeySecretArn: text('CURSOR_KEY_SECRET_ARN'),
  /** The cursor key itself, under `npm start` (kept in DATA_DIR). */
  cursorKey: variable('CURSOR_KEY', 'at least 32 bytes of secret material', (raw) =>
    Buffer.byteLength(raw) >= 32 ? raw : undefined,
  ),
  // The authorizer.
  authMode: withDefault(oneOf('AUTH_MODE', AUTH_MODES), 'token'),
  apiToken: text('API_TOKEN'),
  apiTokens: text('API_TOKENS'),
  tokensSecretArn: text('TOKENS_SECRET_ARN'),
  tokensCacheSeconds: withDefault(integer('TOKENS_CACHE_SECONDS', cache.min, cache.max), cache.default),
  jwtIssuer: text('JWT_ISSUER'),
  jwtJwksUrl: url('JWT_JWKS_URL'),
  jwtAudience: text('JWT_AUDIENCE'),
  jwtClientIds: list('JWT_CLIENT_IDS'),
  // Both functions' telemetry (src/lambda/telemetry.ts), named as Powertools names them; npm start sets them
  // from LOG_LEVEL and LOG_FORMAT.
  logLevelOfFunctions: text('POWERTOOLS_LOG_LEVEL'),
  /** What Lambda's advanced logging controls set, when POWERTOOLS_LOG_LEVEL is not. */
  lambdaLogLevel: text('AWS_LAMBDA_LOG_LEVEL'),
  /** `true`: indented log lines, and metrics off unless POWERTOOLS_METRICS_DISABLED is `false`. */
  devLogs: text('POWERTOOLS_DEV'),
  metricsDisabled: text('POWERTOOLS_METRICS_DISABLED'),
  // `npm start` alone (it also reads the two functions' variables it does not set itself).
  stage: withDefault(
    variable('STAGE', STAGE_RULE, (raw) => (STAGE_PATTERN.test(raw) ? raw : undefined)),
    DEFAULT_STAGE,
  ),
  port: withDefault(port('PORT'), 3000),
  host: withDefault(text('HOST'), '127.0.0.1'),
  appPort: withDefault(
    variable<number | 'off'>('APP_PORT', `off or ${port('').rule}`, (raw) =>
      raw === 'off' ? 'off' : port('').parse(raw),
    ),
    8080,
  ),
  dataDir: withDefault(text('DATA_DIR'), '.data'),
  /** Locally the table has a name of its own; in the cloud TABLE_NAME is required. */
  localTableName: withDefault(text('TABLE_NAME'), 'tasks'),
  authCacheTtlSeconds: withDefault(integer('AUTH_CACHE_TTL_SECONDS', cache.min, cache.max), cache.default),
  throttleRateLimit: withDefault(positive('THROTTLE_RATE_LIMIT'), API_GATEWAY_LIMITS.throttle.rateLimit),
  throttleBurstLimit: withDefault(
    integer('THROTTLE_BURST_LIMIT', 1, Number.MAX_SAFE_INTEGER),
    API_GATEWAY_LIMITS.throttle.burstLimit,
  ),
  /**
   * Each principal's own budget: a sustained rate (requests/s) and a burst. The defaults, also the stages'
   * (infra/stage-settings.ts), are argued in docs/operate.md ("Request limits per principal").
   */
  principalRateLimit: withDefault(
    positive('PRINCIPAL_RATE_LIMIT', API_GATEWAY_LIMITS.throttle.rateLimit),
    10,
  ),
  principalBurstLimit: withDefault(
    integer('PRINCIPAL_BURST_LIMIT', 1, API_GATEWAY_LIMITS.throttle.burstLimit),
    50,
  ),
  logLevel: withDefault(oneOf('LOG_LEVEL', LOG_LEVELS), 'INFO'),
  accessLog: withDefault(onOff('ACCESS_LOG'), 'on'),
  /** Unset: short at a terminal, JSON when piped. */
  logFormat: oneOf('LOG_FORMAT', LOG_FORMATS),
  validateRequestBody: withDefault(onOff('VALIDATE_REQUEST_BODY'), 'off'),
  requestTimeoutSeconds: withDefault(positive('REQUEST_TIMEOUT_SECONDS', 300), 10),
});

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads variables from an environment, collecting every problem so that one failed start names them all;
 * `settle` throws them together, or returns the configuration frozen.
 */
export function envReader(env: Env, what: string) {
  const problems: string[] = [];
  function optional<T>(v: Variable<T>): T | undefined {
    const raw = env[v.name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = v.parse(raw);
    if (value === undefined) problems.push(`${v.name}: must be ${v.rule}`);
    return value;
  }
  return {
    /** The value, or `undefined` when the variable is unset or breaks its rule (a problem then). */
    optional,
    /** The value, or the variable's default when it is unset or breaks its rule (a problem then). */
    value: <T>(v: DefaultedVariable<T>): T => optional(v) ?? v.fallback,
    /** A value the service cannot start without (`when` says in which case); unset is a problem. */
    required(v: Variable<string>, when = ''): string {
      const before = problems.length;
      const value = optional(v);
      if (value === undefined && problems.length === before) problems.push(`${v.name}: is required${when}`);
      return value ?? '';
    },
    /** A problem no single variable's rule sees (two that exclude each other). */
    problem: (message: string) => void problems.push(message),
    /** The configuration, frozen; or every problem found, thrown together. */
    settle<C>(config: C): Readonly<C> {
      if (problems.length > 0) throw new Error(`Invalid ${what} configuration: ${problems.join('; ')}`);
      return Object.freeze(config);
    },
  };
}
