import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { committedContext } from '../../infra/app.js';
import { REPO_ROOT } from '../../infra/functions.js';
import { BINARY_MEDIA_TYPES, isBinaryMediaType } from '../../src/api/request.js';
import { nonDraft4Keywords } from '../../src/api/request-models.js';
import { only, resourcesOf, type Synthesized } from './synth.js';
import {
  renderedDomainPrefix,
  synthesizeVariants,
  TEST_ALARM_EMAIL,
  VARIANTS,
  type Variant,
  variantName,
} from './variants.js';

/** Rules AWS enforces only at deploy time, checked on the templates of every variant (see variants.ts). */
let variants: [Variant, Synthesized][];
/** The same variants with a changed authorizer (the cache TTL) and an alarm e-mail address. */
let changed: [Variant, Synthesized][];
beforeAll(() => {
  variants = synthesizeVariants();
  changed = synthesizeVariants({ authorizerCacheSeconds: 60, alarmEmail: 'ops@example.com' });
}, 480_000);

const deploymentIdOf = (s: Synthesized): string => only(resourcesOf(s.api, 'AWS::ApiGateway::Deployment'))[0];

/** Flags whose committed value differs from the recommended one on purpose, with the reason. */
const DELIBERATE_FLAG_VALUES: Record<string, unknown> = {
  // The API stack references the table strongly: CloudFormation then refuses to delete the stateful stack
  // (or an export it uses) while the API stack depends on it.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

describe('cdk.json', () => {
  it('sets every feature flag aws-cdk-lib recommends, at its recommended value unless stated otherwise', () => {
    const recommended = JSON.parse(
      readFileSync(join(REPO_ROOT, 'node_modules/aws-cdk-lib/recommended-feature-flags.json'), 'utf8'),
    ) as Record<string, unknown>;
    const context = committedContext();
    expect(Object.keys(recommended).length).toBeGreaterThan(50);
    for (const [flag, value] of Object.entries(recommended))
      expect(context[flag], flag).toEqual(
        flag in DELIBERATE_FLAG_VALUES ? DELIBERATE_FLAG_VALUES[flag] : value,
      );
  });
});

describe.each(VARIANTS.map(variantName))('the %s templates', (name) => {
  const synthesized = (): Synthesized => {
    const found = variants.find(([variant]) => variantName(variant) === name);
    if (!found) throw new Error(`no variant ${name}`);
    return found[1];
  };

  it('have API Gateway models that use draft-04 keywords only', () => {
    const models = resourcesOf(synthesized().api, 'AWS::ApiGateway::Model');
    expect(models.length).toBeGreaterThan(0);
    for (const [id, model] of models) expect(nonDraft4Keywords(model.Properties.Schema), id).toEqual([]);
  });

  it('derive names every service accepts: stack names, the stage, the Cognito domain prefix', () => {
    const s = synthesized();
    for (const stack of [s.service.table, s.service.api])
      expect(stack.stackName).toMatch(/^[A-Za-z][A-Za-z0-9-]{0,127}$/);
    const prefix = renderedDomainPrefix(s);
    if (name.endsWith('/jwt'))
      expect(prefix).toMatch(/^(?!.*(?:aws|amazon|cognito))[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/);
    else expect(prefix).toBeUndefined();
  });

  it('get a new API Gateway deployment when the authorizer changes, so the stage serves the change', () => {
    const changedOne = changed.find(([variant]) => variantName(variant) === name)?.[1];
    if (!changedOne) throw new Error(`no variant ${name}`);
    const authorizerTtl = (s: Synthesized) =>
      only(resourcesOf(s.api, 'AWS::ApiGateway::Authorizer'))[1].Properties.AuthorizerResultTtlInSeconds;
    expect([authorizerTtl(synthesized()), authorizerTtl(changedOne)]).toEqual([300, 60]);
    expect(deploymentIdOf(changedOne)).not.toBe(deploymentIdOf(synthesized()));
    const stage = (s: Synthesized) => only(resourcesOf(s.api, 'AWS::ApiGateway::Stage'))[1].Properties;
    expect(stage(changedOne).DeploymentId).toEqual({ Ref: deploymentIdOf(changedOne) });
  });

  it('take JSON bodies as binary, and still answer every preflight (its MOCK converts to text)', () => {
    const api = only(resourcesOf(synthesized().api, 'AWS::ApiGateway::RestApi'))[1].Properties;
    expect(api.BinaryMediaTypes).toEqual([...BINARY_MEDIA_TYPES]);
    expect(isBinaryMediaType('application/json; charset=utf-8')).toBe(true);
    const preflights = resourcesOf(synthesized().api, 'AWS::ApiGateway::Method').filter(
      ([, m]) => m.Properties.HttpMethod === 'OPTIONS',
    );
    expect(preflights.length).toBeGreaterThan(0);
    for (const [id, method] of preflights) {
      expect(method.Properties.Integration.ContentHandling, id).toBe('CONVERT_TO_TEXT');
      for (const response of method.Properties.Integration.IntegrationResponses)
        expect(response.ContentHandling, id).toBe('CONVERT_TO_TEXT');
    }
  });

  it('send every alarm to the alarm topic, when it fires and when it clears', () => {
    const [topicId] = only(resourcesOf(synthesized().api, 'AWS::SNS::Topic'));
    const alarms = resourcesOf(synthesized().api, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(8);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions, id).toEqual([{ Ref: topicId }]);
    }
  });

  it('subscribe the e-mail address of context alarmEmail to the topic, and nobody without one', () => {
    // A stage that retains data (prod) cannot go without one (infra/stage-settings.ts).
    const subscriptions = resourcesOf(synthesized().api, 'AWS::SNS::Subscription');
    expect(subscriptions.map(([, s]) => s.Properties.Endpoint)).toEqual(
      name.startsWith('prod/') ? [TEST_ALARM_EMAIL] : [],
    );
    const changedOne = changed.find(([variant]) => variantName(variant) === name)?.[1];
    const [, subscription] = only(
      resourcesOf(changedOne?.api as Synthesized['api'], 'AWS::SNS::Subscription'),
    );
    expect(subscription.Properties).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('fill every term of a metric that publishes only when something happened, so sums and rates have data', () => {
    const sparse = (stat: { Metric: { Namespace: string; MetricName: string } }) =>
      stat.Metric.Namespace === 'AWS/DynamoDB' || stat.Metric.Namespace === 'TaskService';
    let checked = 0;
    for (const [id, alarm] of resourcesOf(synthesized().api, 'AWS::CloudWatch::Alarm')) {
      const queries = (alarm.Properties.Metrics ?? []) as {
        Id: string;
        Expression?: string;
        MetricStat?: never;
      }[];
      const expression = queries.find((q) => q.Expression)?.Expression ?? '';
      for (const query of queries.filter((q) => q.MetricStat && sparse(q.MetricStat))) {
        expect(expression, `${id} ${query.Id}`).toContain(`FILL(${query.Id}, 0)`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6); // five DynamoDB operations and the denials
  });

  it('count authorizer failures and every 401/403 from the access log, not from the authorizer’s own throws', () => {
    // test/infra/operations.test.ts says why API Gateway's 403 for an unknown path is not one of them.
    const filters = resourcesOf(synthesized().api, 'AWS::Logs::MetricFilter').map(([, f]) => f.Properties);
    const patternOf = (metric: string) =>
      filters.find((f) => f.MetricTransformations[0].MetricName === metric)?.FilterPattern;
    expect(patternOf('GatewayDenials')).toBe(
      '{ ($.status = "401") || (($.status = "403") && ($.errorType != "MISSING_AUTHENTICATION_TOKEN")) }',
    );
    expect(patternOf('AuthorizerFailures')).toBe(
      '{ ($.errorType = "AUTHORIZER_FAILURE") || ($.errorType = "AUTHORIZER_CONFIGURATION_ERROR") }',
    );
    const errorAlarms = resourcesOf(synthesized().api, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties.MetricName === 'Errors',
    );
    for (const [id, alarm] of errorAlarms)
      expect(JSON.stringify(alarm.Properties.Dimensions), id).not.toContain('AuthorizerFunction');
  });
});
