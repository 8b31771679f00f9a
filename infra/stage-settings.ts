import type { Node } from 'constructs';
import { RATE_WINDOW_SECONDS, windowLimitOf } from '../src/api/rate-limit.js';
import {
  API_GATEWAY_LIMITS,
  AUTH_MODES,
  type AuthMode,
  DEFAULT_STAGE,
  isAuthMode,
  parseList,
  STAGE_PATTERN,
  STAGE_RULE,
  WAF_RATE_RULE_LIMITS,
} from '../src/settings/platform.js';
import { VARIABLES } from '../src/settings/variables.js';
import { CALLBACK_PATH } from '../src/web-app/app-config.js';
import { cognitoDomainPrefix } from './auth.js';

/**
 * What a deployment may vary. Each stage's settings are committed in cdk.json (`context.stages.<stage>`),
 * read by people and by the deploy workflow alike; `-c key=value` overrides one for one command, except
 * the auth mode, whose change deletes a secret or a user pool and so must be committed (see readConfig).
 */
export interface ServiceConfig {
  /** The API Gateway stage and the stack-name infix: `TaskService-<stage>-Table`. */
  readonly stage: string;
  /** Keep the table (with deletion protection), logs and user pool on `cdk destroy`. */
  readonly retainData: boolean;
  /** Origins, `*`, or `app` for the web app's distribution (the default when the app is deployed). */
  readonly corsOrigins: readonly string[];
  /** Deploy the task board web app (S3 + CloudFront, infra/web-app.ts). */
  readonly webApp: boolean;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  /** Each principal's own budget: sustained requests/s and burst, kept by a WAF rule (infra/rate-limit.ts). */
  readonly principalRateLimit: number;
  readonly principalBurstLimit: number;
  readonly logRetentionDays: number;
  readonly authMode: AuthMode;
  /** The TOKEN authorizer's result cache (API_GATEWAY_LIMITS.authorizerCacheSeconds: 0–3600 s). */
  readonly authorizerCacheSeconds: number;
  /** Let API Gateway reject bodies that break the model (its own `Invalid request body`), see README. */
  readonly validateRequestBody: boolean;
  /** Where the Cognito user client may return to (jwt mode), besides the web app's own page. */
  readonly callbackUrls: readonly string[];
  /** Where alarms send e-mail (an SNS subscription); none when empty, which only a stage without data may be. */
  readonly alarmEmail: string;
}

/** The value of every per-stage setting a stage's entry in cdk.json leaves out. */
export const CONFIG_DEFAULTS = Object.freeze({
  corsOrigins: '*',
  throttleRateLimit: 100,
  throttleBurstLimit: 200,
  /** The same defaults as npm start's (PRINCIPAL_RATE_LIMIT, PRINCIPAL_BURST_LIMIT). */
  principalRateLimit: VARIABLES.principalRateLimit.fallback,
  principalBurstLimit: VARIABLES.principalBurstLimit.fallback,
  logRetentionDays: 30,
  authMode: 'token',
  authorizerCacheSeconds: API_GATEWAY_LIMITS.authorizerCacheSeconds.default,
  validateRequestBody: false,
  retainData: false,
  /** `npm start`'s web app on its default APP_PORT, for a stage without data; a stage with data (prod) has none unless it says. */
  callbackUrls: `http://localhost:${VARIABLES.appPort.default}${CALLBACK_PATH}`,
  alarmEmail: '',
  webApp: true,
});

/** The `corsOrigins` entry that stands for the web app's own origin. */
export const WEB_APP_ORIGIN = 'app';

type SettingName = keyof typeof CONFIG_DEFAULTS;

export const stackNamesOf = (stage: string) =>
  Object.freeze({ table: `TaskService-${stage}-Table`, api: `TaskService-${stage}-Api` });

/**
 * The names a service keeps unique across all the regions of an account (CloudFront's, CloudWatch
 * dashboards'): each carries the region, so one stage deploys to a second region without AlreadyExists.
 * `region` is a CDK token when the stack is environment-agnostic.
 */
export const accountWideNamesOf = (stage: string, region: string) =>
  Object.freeze({
    dashboard: `TaskService-${stage}-${region}`,
    originAccessControl: `TaskService-${stage}-${region}`,
    responseHeadersPolicy: `TaskService-${stage}-${region}-security-headers`,
  });

/** The longest region name (ap-southeast-7, eu-isoe-west-1): the placeholder that checks the name lengths. */
const LONGEST_REGION = 'ap-southeast-7';

/** Every name derived from the stage, with its service's rule. An account id has 12 digits. */
function derivedNames(stage: string) {
  const stacks = stackNamesOf(stage);
  const stackRule = { pattern: /^[A-Za-z][A-Za-z0-9-]*$/, max: 128 };
  const global = accountWideNamesOf(stage, LONGEST_REGION);
  return [
    { what: 'CloudWatch dashboard name', name: global.dashboard, pattern: /^[A-Za-z0-9_-]+$/, max: 255 },
    {
      what: 'CloudFront origin access control name',
      name: global.originAccessControl,
      pattern: /^[A-Za-z0-9_-]+$/,
      max: 64,
    },
    {
      what: 'CloudFront response headers policy name',
      name: global.responseHeadersPolicy,
      pattern: /^[A-Za-z0-9_-]+$/,
      max: 128,
    },
    { what: 'CloudFormation stack name', name: stacks.table, ...stackRule },
    { what: 'CloudFormation stack name', name: stacks.api, ...stackRule },
    { what: 'API Gateway stage name', name: stage, pattern: /^[A-Za-z0-9_-]+$/, max: 128 },
    {
      what: 'Cognito domain prefix',
      name: cognitoDomainPrefix(stage, '123456789012'),
      pattern: /^(?!.*(?:aws|amazon|cognito))[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
      max: 63,
    },
  ];
}

/** The longest stage every derived name allows (the Cognito domain prefix is the tightest). */
export const MAX_STAGE_LENGTH = Math.min(...derivedNames('').map(({ name, max }) => max - name.length));

/** Why a stage name cannot be deployed, or undefined when it can. */
export function stageProblem(stage: string): string | undefined {
  if (!STAGE_PATTERN.test(stage)) return `must be ${STAGE_RULE}`;
  if (stage.length > MAX_STAGE_LENGTH) return `must be at most ${MAX_STAGE_LENGTH} characters`;
  const broken = derivedNames(stage).find(
    ({ name, pattern, max }) => !pattern.test(name) || name.length > max,
  );
  return broken && `gives the ${broken.what} '${broken.name}', which its service refuses`;
}

function number(value: unknown, key: string, min: number, max: number): number {
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max)
    throw new Error(`CDK context '${key}' must be a number from ${min} to ${max}, got ${String(value)}`);
  return parsed;
}

/** The committed settings of a stage (cdk.json `context.stages.<stage>`), refusing unknown keys. */
function committedSettingsOf(node: Node, stage: string): Partial<Record<SettingName, unknown>> {
  const stages = (node.tryGetContext('stages') ?? {}) as Record<string, Record<string, unknown>>;
  const settings = stages[stage];
  if (!settings)
    throw new Error(
      `Stage '${stage}' has no entry in cdk.json's context.stages (${Object.keys(stages).join(', ')}): ` +
        'commit its settings there first, so every later deploy, yours or the workflow’s, uses the same ones',
    );
  const unknown = Object.keys(settings).filter((key) => !(key in CONFIG_DEFAULTS));
  if (unknown.length > 0)
    throw new Error(`cdk.json stages.${stage} has unknown settings: ${unknown.join(', ')}`);
  return settings;
}

/** Each principal's limits, within what the stage allows and what one WAF rate-based rule can count. */
function principalLimitsOf(get: (key: SettingName) => unknown) {
  const { throttle } = API_GATEWAY_LIMITS;
  const limits = {
    principalRateLimit: number(get('principalRateLimit'), 'principalRateLimit', 0.001, throttle.rateLimit),
    principalBurstLimit: Math.round(
      number(get('principalBurstLimit'), 'principalBurstLimit', 1, throttle.burstLimit),
    ),
  };
  const perWindow = windowLimitOf({
    rateLimit: limits.principalRateLimit,
    burstLimit: limits.principalBurstLimit,
  });
  const { minLimit, maxLimit } = WAF_RATE_RULE_LIMITS;
  if (perWindow < minLimit || perWindow > maxLimit)
    throw new Error(
      `CDK context principalRateLimit and principalBurstLimit allow ${perWindow} requests per ${RATE_WINDOW_SECONDS} s ` +
        `(burst + rate × ${RATE_WINDOW_SECONDS}); a WAF rate-based rule counts ${minLimit} to ${maxLimit}`,
    );
  return limits;
}

/** Reads the context of an app (or any node), failing synth with a message that names the key. */
export function readConfig(node: Node): ServiceConfig {
  const stage = String(node.tryGetContext('stage') ?? DEFAULT_STAGE);
  const problem = stageProblem(stage);
  if (problem) throw new Error(`CDK context 'stage' ${problem}, got '${stage}'`);
  const committed = committedSettingsOf(node, stage);
  const get = (key: SettingName): unknown =>
    node.tryGetContext(key) ?? committed[key] ?? CONFIG_DEFAULTS[key];
  const authMode = String(get('authMode'));
  if (!isAuthMode(authMode))
    throw new Error(`CDK context 'authMode' must be ${AUTH_MODES.join(' or ')}, got '${authMode}'`);
  const committedMode = String(committed.authMode ?? CONFIG_DEFAULTS.authMode);
  if (authMode !== committedMode && String(node.tryGetContext('allowAuthModeChange')) !== 'true')
    throw new Error(
      `Stage '${stage}' is committed as authMode ${committedMode} (cdk.json stages.${stage}); -c authMode=${authMode} ` +
        `would replace its ${committedMode === 'jwt' ? 'user pool and its users' : 'token secret'}. Change the mode in ` +
        'cdk.json, or add -c allowAuthModeChange=true for a one-off.',
    );
  const webApp = String(get('webApp')) === 'true';
  const { throttle, authorizerCacheSeconds: cache } = API_GATEWAY_LIMITS;
  const corsDefault = webApp ? WEB_APP_ORIGIN : CONFIG_DEFAULTS.corsOrigins;
  const corsOrigins = parseList(
    String(node.tryGetContext('corsOrigins') ?? committed.corsOrigins ?? corsDefault),
  );
  if (corsOrigins.length === 0) throw new Error("CDK context 'corsOrigins' names no origin");
  if (!webApp && corsOrigins.includes(WEB_APP_ORIGIN))
    throw new Error(`CDK context 'corsOrigins' names '${WEB_APP_ORIGIN}', but webApp is false`);
  const retainData = String(get('retainData')) === 'true';
  const callbackDefault = retainData ? '' : CONFIG_DEFAULTS.callbackUrls;
  const callbackUrls = parseList(
    String(node.tryGetContext('callbackUrls') ?? committed.callbackUrls ?? callbackDefault),
  );
  if (authMode === 'jwt' && !webApp && callbackUrls.length === 0)
    throw new Error(
      `Stage '${stage}' uses jwt mode without the web app, so its Cognito user client needs callbackUrls: ` +
        `commit stages.${stage}.callbackUrls in cdk.json`,
    );
  const alarmEmail = String(get('alarmEmail')).trim();
  if (alarmEmail !== '' && !/^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(alarmEmail))
    throw new Error(`CDK context 'alarmEmail' must be one e-mail address, got '${alarmEmail}'`);
  // A stage that keeps data has users to answer to: its alarms must reach a person.
  if (retainData && alarmEmail === '')
    throw new Error(
      `Stage '${stage}' keeps its data (retainData) but has no alarmEmail, so its alarms would reach no one: ` +
        `commit stages.${stage}.alarmEmail in cdk.json (docs/operate.md, "Observe").`,
    );
  const principalLimits = principalLimitsOf(get);
  return Object.freeze({
    stage,
    retainData,
    corsOrigins,
    webApp,
    throttleRateLimit: number(get('throttleRateLimit'), 'throttleRateLimit', 1, throttle.rateLimit),
    throttleBurstLimit: Math.round(
      number(get('throttleBurstLimit'), 'throttleBurstLimit', 1, throttle.burstLimit),
    ),
    ...principalLimits,
    logRetentionDays: number(get('logRetentionDays'), 'logRetentionDays', 1, 3653),
    authMode,
    authorizerCacheSeconds: number(
      get('authorizerCacheSeconds'),
      'authorizerCacheSeconds',
      cache.min,
      cache.max,
    ),
    validateRequestBody: String(get('validateRequestBody')) === 'true',
    callbackUrls,
    alarmEmail,
  });
}
