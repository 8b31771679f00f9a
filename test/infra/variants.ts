import { only, resourcesOf, type Synthesized, synthesize } from './synth.js';

/**
 * The variants every deploy-time rule is checked on: both auth modes, on the default stage and on a second
 * one (prod, which also switches on retention). Templates only, no bundling.
 */
export const VARIANTS = [
  { stage: 'dev', authMode: 'token' },
  { stage: 'dev', authMode: 'jwt' },
  { stage: 'prod', authMode: 'token' },
  { stage: 'prod', authMode: 'jwt' },
] as const;

export type Variant = (typeof VARIANTS)[number];

export const variantName = (v: Variant): string => `${v.stage}/${v.authMode}`;

/** Where a test's prod stage sends its alarms: a stage that retains data must name someone. */
export const TEST_ALARM_EMAIL = 'alarms@example.com';

/** The context that deploys a stage in a mode: its committed settings, as cdk.json would hold them. */
export const contextOf = (
  stage: string,
  settings: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  stage,
  stages: {
    [stage]: {
      retainData: stage === 'prod',
      ...(stage === 'prod' && { alarmEmail: TEST_ALARM_EMAIL }),
      ...settings,
    },
  },
  ...extra,
});

/** Synthesizes every variant once (cdk-nag runs on each), with extra committed settings where a test needs them. */
export function synthesizeVariants(settings: Record<string, unknown> = {}): [Variant, Synthesized][] {
  return VARIANTS.map((v) => [
    v,
    synthesize(contextOf(v.stage, { authMode: v.authMode, ...settings }), false),
  ]);
}

/** The Cognito domain prefix as CloudFormation renders it, for a 12-digit account. */
export function renderedDomainPrefix(s: Synthesized): string | undefined {
  const domains = resourcesOf(s.api, 'AWS::Cognito::UserPoolDomain');
  if (domains.length === 0) return undefined;
  const [, parts] = only(domains)[1].Properties.Domain['Fn::Join'] as [string, unknown[]];
  return parts.map((part) => (typeof part === 'string' ? part : '123456789012')).join('');
}
