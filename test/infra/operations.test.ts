import type { CfnMethod } from 'aws-cdk-lib/aws-apigateway';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALARM_THRESHOLDS } from '../../infra/observability.js';
import { ACCESS_LOG_FIELDS } from '../../infra/rest-api.js';
import { METRIC, SERVICE_NAME, STAGE_VARIABLE } from '../../src/lambda/telemetry.js';
import { nagViolations, only, type Resource, resourcesOf, type Synthesized, synthesize } from './synth.js';
import { contextOf, TEST_ALARM_EMAIL } from './variants.js';

/**
 * What the first week on AWS asked of the templates (issue 20): alarms that reach a person, the TLS and
 * log settings, managed log groups, protected prod stacks and a Deployment that follows every edit. A dev
 * stage in token mode and a prod stage in jwt mode, templates only.
 */
const stages: Record<'dev' | 'prod', Synthesized> = {} as never;
beforeAll(() => {
  stages.dev = synthesize(contextOf('dev', { authMode: 'token' }), false);
  stages.prod = synthesize(contextOf('prod', { authMode: 'jwt' }), false);
}, 180_000);

const one = (s: Synthesized, type: string): [string, Resource] => only(resourcesOf(s.api, type));

describe.each(['dev', 'prod'] as const)('the %s stage', (stage) => {
  const s = () => stages[stage];

  it('passes cdk-nag with no unacknowledged finding', () => {
    expect(nagViolations(s().outdir)).toEqual([]);
  });

  it('lets CloudWatch publish to the alarm topic, for this account’s alarms of this stack only, over TLS', () => {
    const [topicId] = one(s(), 'AWS::SNS::Topic');
    const statements = one(s(), 'AWS::SNS::TopicPolicy')[1].Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allow = only<Resource['Properties']>(
      statements.filter((st: { Effect: string }) => st.Effect === 'Allow'),
    );
    expect(allow).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topicId },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    const sourceArn = JSON.stringify(allow.Condition.ArnLike['aws:SourceArn']);
    const prefix = `${s().service.api.stackName}-`;
    expect(sourceArn).toContain(':cloudwatch:');
    expect(sourceArn).toContain(`:alarm:${prefix}*`);
    // Every alarm that notifies the topic is named so that the condition admits it.
    const alarms = resourcesOf(s().api, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.AlarmName.startsWith(prefix), alarm.AlarmName).toBe(true);
    }
  });

  it('counts no 403 for a path the API lacks among the refusals, and rates them over 20 requests or more', () => {
    const denials = resourcesOf(s().api, 'AWS::Logs::MetricFilter')
      .map(([, filter]) => filter.Properties)
      .find((filter) => filter.MetricTransformations[0].MetricName === 'GatewayDenials');
    expect(denials?.FilterPattern).toBe(
      '{ ($.status = "401") || (($.status = "403") && ($.errorType != "MISSING_AUTHENTICATION_TOKEN")) }',
    );
    const rate = resourcesOf(s().api, 'AWS::CloudWatch::Alarm')
      .map(([, alarm]) => alarm.Properties)
      .find((alarm) => alarm.AlarmName.endsWith('-DenialRate'));
    const expression = rate?.Metrics.find((m: { Expression?: string }) => m.Expression)?.Expression;
    expect(expression).toBe(
      `IF(requests >= ${ALARM_THRESHOLDS.denialMinRequests}, 100 * FILL(denials, 0) / requests, 0)`,
    );
  });

  it('gives each business metric on the dashboard the stage dimension the functions publish', () => {
    const body = JSON.stringify(one(s(), 'AWS::CloudWatch::Dashboard')[1].Properties.DashboardBody);
    for (const name of Object.values(METRIC))
      expect(body).toContain(
        `\\"TaskService\\",\\"${name}\\",\\"service\\",\\"${SERVICE_NAME}\\",\\"stage\\",\\"${stage}\\"`,
      );
    for (const [, fn] of resourcesOf(s().api, 'AWS::Lambda::Function').filter(([id]) =>
      /^(Tasks|Authorizer)Function/.test(id),
    ))
      expect(fn.Properties.Environment.Variables[STAGE_VARIABLE]).toBe(stage);
  });

  it('requires TLS 1.2 or later on the REST API', () => {
    expect(one(s(), 'AWS::ApiGateway::RestApi')[1].Properties.SecurityPolicy).toBe('TLS_1_2');
  });

  it('logs no field a caller writes freely, so every access log line stays JSON', () => {
    const format = JSON.parse(one(s(), 'AWS::ApiGateway::Stage')[1].Properties.AccessLogSetting.Format);
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    for (const variable of ['$context.identity.userAgent', '$context.path', '$context.error.message'])
      expect(Object.values(format)).not.toContain(variable);
  });

  it('creates API Gateway’s execution log group with the retention, before the stage', () => {
    const [restApiId] = one(s(), 'AWS::ApiGateway::RestApi');
    const [groupId, group] = only(
      resourcesOf(s().api, 'AWS::Logs::LogGroup').filter(([, g]) =>
        JSON.stringify(g.Properties.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'),
      ),
    );
    expect(group.Properties).toEqual({
      LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: restApiId }, `/${stage}`]] },
      RetentionInDays: 30,
    });
    expect(group.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
    expect([one(s(), 'AWS::ApiGateway::Stage')[1].DependsOn].flat()).toContain(groupId);
  });

  it('does not wait for the CloudFront invalidation after uploading the web app', () => {
    const deployment = one(s(), 'Custom::CDKBucketDeployment')[1].Properties;
    expect(deployment.DistributionPaths).toEqual(['/*']);
    expect(deployment.WaitForDistributionInvalidation).toBe(false);
  });

  it(`is ${stage === 'prod' ? '' : 'not '}protected from termination, as it does${stage === 'prod' ? '' : ' not'} keep data`, () => {
    expect(s().service.table.terminationProtection).toBe(stage === 'prod');
    expect(s().service.api.terminationProtection).toBe(stage === 'prod');
  });
});

describe('a dev stage', () => {
  it('sends the bucket-emptying function’s logs to a group with the retention, deleted with the stage', () => {
    const [, handler] = only(
      resourcesOf(stages.dev.api, 'AWS::Lambda::Function').filter(([id]) =>
        id.startsWith('CustomS3AutoDeleteObjects'),
      ),
    );
    const groupId = handler.Properties.LoggingConfig.LogGroup.Ref as string;
    const group = stages.dev.api.toJSON().Resources[groupId] as Resource;
    expect(group).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    expect(group.DeletionPolicy).toBe('Delete');
  });

  it('has no alarm subscription without alarmEmail', () => {
    stages.dev.api.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('a prod stage', () => {
  it('subscribes its alarm e-mail to the topic', () => {
    stages.prod.api.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: TEST_ALARM_EMAIL,
    });
  });

  it('lets the Cognito user client return to the web app only, not to localhost', () => {
    const user = only(
      resourcesOf(stages.prod.api, 'AWS::Cognito::UserPoolClient')
        .map(([, c]) => c.Properties)
        .filter((c) => c.AllowedOAuthFlows?.includes('code')),
    );
    const urls = JSON.stringify([user.CallbackURLs, user.LogoutURLs]);
    expect(urls).not.toContain('localhost');
    expect(user.CallbackURLs).toHaveLength(1);
    expect(JSON.stringify(user.CallbackURLs)).toContain('WebCdn');
  });
});

describe('the Deployment', () => {
  const deploymentIdOf = (s: Synthesized) => one(s, 'AWS::ApiGateway::Deployment')[0];

  it('gets a new logical id when a preflight’s overrides change, so the edit reaches the stage', () => {
    const again = synthesize(contextOf('dev', { authMode: 'token' }), false);
    expect(deploymentIdOf(again)).toBe(deploymentIdOf(stages.dev));
    const edited = synthesize(contextOf('dev', { authMode: 'token' }), false, ({ api }) => {
      const preflight = only(
        api.node
          .findAll()
          .filter((c) => c.node.path.endsWith('/tasks/OPTIONS') && !c.node.path.includes('{listId}')),
      );
      (preflight.node.defaultChild as CfnMethod).addPropertyOverride(
        'Integration.ContentHandling',
        'CONVERT_TO_BINARY',
      );
    });
    expect(deploymentIdOf(edited)).not.toBe(deploymentIdOf(stages.dev));
  }, 120_000);
});
