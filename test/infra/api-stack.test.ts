// Long on purpose (~400 lines): one synthesized API stack, asserted resource by resource; synthesizing it again per file costs seconds each.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS_CACHE_SECONDS } from '../../infra/auth.js';
import { LAMBDA_ENTRIES } from '../../infra/bundling.js';
import { REPO_ROOT, SWAGGER_UI_ASSETS } from '../../infra/functions.js';
import { ACCESS_LOG_FIELDS } from '../../infra/rest-api.js';
import { CONFIG_DEFAULTS } from '../../infra/stage-settings.js';
import { bundleEntry } from '../../scripts/bundle.js';
import { GATEWAY_RESPONSES } from '../../src/api/gateway-responses.js';
import { requestModelOf } from '../../src/api/request-models.js';
import { ROUTES } from '../../src/api/routes.js';
import { INDEXES } from '../../src/store/table-schema.js';
import {
  acknowledgements,
  nagViolations,
  only,
  type Resource,
  resourcesOf,
  type Synthesized,
  synthesize,
} from './synth.js';

/** The default app (token mode, stage dev), synthesized and bundled once for every test in this file. */
let s: Synthesized;
beforeAll(() => {
  s = synthesize();
}, 120_000);

function functionNamed(fragment: string): [string, Resource] {
  return only(resourcesOf(s.api, 'AWS::Lambda::Function').filter(([id]) => id.startsWith(fragment)));
}

/** `resourceLogicalId` → `/tasks/{taskId}`, from PathPart and ParentId. */
function resourcePathsById(): Map<string, string> {
  const resources = Object.fromEntries(resourcesOf(s.api, 'AWS::ApiGateway::Resource'));
  const pathOf = (id: string): string => {
    const resource = resources[id];
    if (!resource) return '';
    const parent = resource.Properties.ParentId.Ref as string | undefined;
    return `${parent ? pathOf(parent) : ''}/${resource.Properties.PathPart}`;
  };
  return new Map(Object.keys(resources).map((id) => [id, pathOf(id)]));
}

function methods(): { verb: string; path: string; props: Resource['Properties'] }[] {
  const paths = resourcePathsById();
  return resourcesOf(s.api, 'AWS::ApiGateway::Method').map(([, method]) => ({
    verb: method.Properties.HttpMethod,
    path: paths.get(method.Properties.ResourceId.Ref) ?? '/',
    props: method.Properties,
  }));
}

function policyStatementsOf(roleFragment: string) {
  return resourcesOf(s.api, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      policy.Properties.Roles.some((role: { Ref: string }) => role.Ref.startsWith(roleFragment)),
    )
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

describe('the synthesized app (token mode, dev)', () => {
  it('passes cdk-nag AwsSolutionsChecks with no unacknowledged finding', () => {
    expect(nagViolations(s.outdir)).toEqual([]);
  });

  it('acknowledges each cdk-nag rule by its id, with a specific reason', () => {
    const acks = acknowledgements(s.service.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.rule).toMatch(/^Annotation::AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.path} ${ack.rule}`).toBeGreaterThanOrEqual(30);
    }
  });

  it('names its stacks after the stage', () => {
    expect([s.service.table.stackName, s.service.api.stackName]).toEqual([
      'TaskService-dev-Table',
      'TaskService-dev-Api',
    ]);
  });
});

describe('the table stack', () => {
  it('has the key schema and every index the adapter queries', () => {
    const table = only(resourcesOf(s.table, 'AWS::DynamoDB::GlobalTable'))[1].Properties;
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const indexes = Object.values(INDEXES).map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : []),
      ],
      Projection: { ProjectionType: index.projection },
    }));
    expect(table.GlobalSecondaryIndexes).toEqual(indexes);
    for (const index of Object.values(INDEXES))
      expect(table.AttributeDefinitions).toContainEqual({
        AttributeName: index.partitionKey,
        AttributeType: 'S',
      });
  });

  it('is on-demand, encrypted with the AWS managed key, with PITR and TTL on the expiry attribute', () => {
    s.table.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: false,
        }),
      ],
    });
  });

  it('is deleted with the dev stack', () => {
    s.table.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });
});

describe('the functions', () => {
  it.each(['TasksFunction', 'AuthorizerFunction'])('%s runs Node 24 on arm64 with active tracing', (name) => {
    const [, fn] = functionNamed(name);
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
    });
    // Telemetry's service name and namespace are constants in the code; a variable here would be read by nothing.
    expect(Object.keys(fn.Properties.Environment?.Variables ?? {})).not.toContain('POWERTOOLS_SERVICE_NAME');
    expect(Object.keys(fn.Properties.Environment?.Variables ?? {})).not.toContain(
      'POWERTOOLS_METRICS_NAMESPACE',
    );
    expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(128);
    expect(fn.Properties.Timeout).toBeLessThanOrEqual(29);
    expect(fn.Properties.LoggingConfig.LogGroup.Ref).toMatch(
      new RegExp(`^${name.replace('Function', '')}Logs`),
    );
  });

  it('keeps logs for the configured retention', () => {
    const groups = resourcesOf(s.api, 'AWS::Logs::LogGroup');
    // three functions, the access and execution logs, and the web app's upload and bucket-emptying functions
    expect(groups).toHaveLength(7);
    for (const [, group] of groups)
      expect(group.Properties.RetentionInDays).toBe(CONFIG_DEFAULTS.logRetentionDays);
  });

  it('gives the authorizer the secret ARN and cache TTL, never a token', () => {
    const vars = functionNamed('AuthorizerFunction')[1].Properties.Environment.Variables;
    expect(vars).toMatchObject({ AUTH_MODE: 'token', TOKENS_CACHE_SECONDS: String(TOKENS_CACHE_SECONDS) });
    expect(vars.TOKENS_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^AuthTokens/) });
    expect(Object.keys(vars)).not.toContain('API_TOKEN');
    expect(Object.keys(vars)).not.toContain('API_TOKENS');
  });

  it('gives the task function the table name and nothing about auth', () => {
    const vars = functionNamed('TasksFunction')[1].Properties.Environment.Variables;
    expect(vars.TABLE_NAME).toBeDefined();
    expect(JSON.stringify(vars)).not.toMatch(/AuthTokens|TOKEN|JWT/);
  });
});

describe('IAM', () => {
  // test/infra/iam-guard.test.ts holds the calls the code makes against these; here, nothing beyond them.
  it('lets the task function read and write the table, Query it (a list’s members), and Query its indexes, each by name', () => {
    const dynamo = policyStatementsOf('TasksFunction').filter((st: { Action: string | string[] }) =>
      [st.Action].flat().some((action) => action.startsWith('dynamodb:')),
    ) as { Action: string | string[]; Resource: unknown }[];
    const onIndexes = only(dynamo.filter((st) => JSON.stringify(st.Resource).includes('/index/')));
    const onTable = only(dynamo.filter((st) => st !== onIndexes));
    expect([onTable.Action].flat().sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    expect(JSON.stringify(onTable.Resource)).toMatch(
      /^\{"Fn::ImportValue":"TaskService-dev-Table:[^"]+Arn[^"]*"\}$/,
    );
    expect(onIndexes.Action).toBe('dynamodb:Query');
    expect(onIndexes.Resource).toHaveLength(Object.keys(INDEXES).length);
    const rendered = JSON.stringify(onIndexes.Resource);
    for (const index of Object.values(INDEXES)) expect(rendered).toContain(`/index/${index.indexName}`);
    expect(rendered).not.toContain('/index/*');
  });

  it('lets only the authorizer read the token secret (GetSecretValue), and that secret only', () => {
    // The task function reads its own cursor key (test/infra/api-edge.test.ts), nothing else.
    const secretStatements = resourcesOf(s.api, 'AWS::IAM::Policy').flatMap(([id, policy]) =>
      policy.Properties.PolicyDocument.Statement.filter(
        (st: { Action: string | string[]; Resource: unknown }) =>
          [st.Action].flat().some((action) => action.startsWith('secretsmanager:')) &&
          !JSON.stringify(st.Resource).includes('"Cursors'),
      ).map((st: unknown) => [id, st] as const),
    );
    const [policyId, statement] = only(secretStatements) as [string, { Action: unknown; Resource: unknown }];
    expect(policyId).toMatch(/^AuthorizerFunction/);
    expect(statement.Action).toBe('secretsmanager:GetSecretValue');
    expect(statement.Resource).toEqual({ Ref: expect.stringMatching(/^AuthTokens/) });
  });

  it('references the secret from nothing but the authorizer, its policy and the outputs', () => {
    const referrers = Object.entries(s.api.toJSON().Resources as Record<string, Resource>)
      .filter(
        ([id, resource]) => !id.startsWith('AuthTokens') && JSON.stringify(resource).includes('"AuthTokens'),
      )
      .map(([id]) => id);
    expect(referrers.length).toBe(2);
    for (const id of referrers) expect(id).toMatch(/^AuthorizerFunction/);
  });

  it('has no wildcard action anywhere but in CDK’s own upload function (infra/web-app.ts says why)', () => {
    const policies = resourcesOf(s.api, 'AWS::IAM::Policy').filter(
      ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
    );
    expect(policies.length).toBeGreaterThan(0);
    for (const [, policy] of policies)
      for (const statement of policy.Properties.PolicyDocument.Statement)
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
  });
});

describe('the REST API', () => {
  it('has exactly the routes of the route table', () => {
    const actual = methods()
      .filter((m) => m.verb !== 'OPTIONS')
      .map((m) => `${m.verb} ${m.path}`)
      .sort();
    expect(actual).toEqual(ROUTES.map((r) => `${r.method} ${r.resource}`).sort());
  });

  it('puts the TOKEN authorizer on every non-public method, and none on OPTIONS or public routes', () => {
    const authorizerId = only(resourcesOf(s.api, 'AWS::ApiGateway::Authorizer'))[0];
    for (const method of methods()) {
      const route = ROUTES.find((r) => r.method === method.verb && r.resource === method.path);
      if (method.verb === 'OPTIONS' || route?.public) {
        expect(method.props.AuthorizationType, `${method.verb} ${method.path}`).toBe('NONE');
        expect(method.props.AuthorizerId).toBeUndefined();
      } else {
        expect(method.props.AuthorizationType).toBe('CUSTOM');
        expect(method.props.AuthorizerId).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('keeps API Gateway’s account-wide CloudWatch role even in dev (other APIs may log through it)', () => {
    const [, role] = only(
      resourcesOf(s.api, 'AWS::IAM::Role').filter(([, r]) =>
        JSON.stringify(r).includes('AmazonAPIGatewayPushToCloudWatchLogs'),
      ),
    );
    expect(role.DeletionPolicy).toBe('Retain');
  });

  it('answers preflight on every resource, as a MOCK', () => {
    const preflights = methods().filter((m) => m.verb === 'OPTIONS');
    expect(preflights.map((m) => m.path).sort()).toEqual([...new Set(ROUTES.map((r) => r.resource))].sort());
    for (const m of preflights) expect(m.props.Integration.Type).toBe('MOCK');
  });

  it('reads the Authorization header and caches results for the configured TTL', () => {
    s.api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: CONFIG_DEFAULTS.authorizerCacheSeconds,
    });
  });

  it('has JSON body models generated from the handler’s zod schemas, and a request validator', () => {
    const models = resourcesOf(s.api, 'AWS::ApiGateway::Model').map(([, m]) => m.Properties);
    for (const route of ROUTES) {
      const model = requestModelOf(route.operationId);
      if (!model) continue;
      const deployed = models.find((m) => m.Name === model.name);
      expect(deployed?.Schema).toEqual(model.schema);
      expect(deployed?.ContentType).toBe('application/json');
    }
    s.api.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestParameters: true,
      ValidateRequestBody: false,
    });
  });

  it('throttles, traces and logs the stage: JSON access logs, execution logs at ERROR', () => {
    const stage = only(resourcesOf(s.api, 'AWS::ApiGateway::Stage'))[1].Properties;
    expect(stage.StageName).toBe('dev');
    expect(stage.TracingEnabled).toBe(true);
    expect(stage.MethodSettings).toContainEqual(
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        ThrottlingRateLimit: CONFIG_DEFAULTS.throttleRateLimit,
        ThrottlingBurstLimit: CONFIG_DEFAULTS.throttleBurstLimit,
      }),
    );
    expect(JSON.parse(stage.AccessLogSetting.Format)).toEqual(ACCESS_LOG_FIELDS);
  });

  it('gives API Gateway’s own errors CORS headers and the local gateway’s JSON body', () => {
    const responses = resourcesOf(s.api, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => r.Properties);
    const types = responses.map((r) => r.ResponseType);
    expect(types).toEqual(
      expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX', 'UNAUTHORIZED', 'ACCESS_DENIED', 'THROTTLED']),
    );
    for (const response of responses) {
      // The default deploys the web app, so CORS lists only its origin: gateway errors send it as it is.
      expect(
        JSON.stringify(response.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']),
      ).toContain('https://');
      const denial = response.ResponseType === 'ACCESS_DENIED';
      const fixed = response.ResponseType === 'MISSING_AUTHENTICATION_TOKEN';
      expect(response.ResponseTemplates['application/json']).toBe(
        denial
          ? '{"message":$context.error.messageString,"Message":$context.error.messageString}'
          : fixed
            ? '{"message":"Missing Authentication Token"}'
            : '{"message":$context.error.messageString}',
      );
    }
    expect(Object.keys(GATEWAY_RESPONSES.ACCESS_DENIED.body)).toEqual(['message', 'Message']);
  });
});

describe('alarms, dashboard and outputs', () => {
  const alarmMetrics = () =>
    resourcesOf(s.api, 'AWS::CloudWatch::Alarm').map(([, alarm]) => JSON.stringify(alarm.Properties));

  it.each([
    ['the 5XX rate', /5XXError/],
    ['p99 latency', /"ExtendedStatistic":"p99".*|"Latency"/],
    ['Lambda errors', /"MetricName":"Errors"/],
    ['Lambda throttles', /"MetricName":"Throttles"/],
    ['DynamoDB throttled requests', /ThrottledRequests/],
    ['the rate of 401 and 403 answers', /GatewayDenials/],
    ['authorizer failures (not refusals)', /AuthorizerFailures/],
  ])('alarm on %s', (_what, pattern) => {
    expect(alarmMetrics().some((alarm) => pattern.test(alarm))).toBe(true);
  });

  it('alarms on the task function’s errors and both functions’ throttles, not on the authorizer’s refusals', () => {
    const lambda = alarmMetrics().filter((a) => /"MetricName":"(Errors|Throttles)"/.test(a));
    expect(lambda.filter((a) => a.includes('"Throttles"'))).toHaveLength(2);
    expect(lambda.filter((a) => a.includes('"Errors"'))).toHaveLength(1);
    expect(lambda.find((a) => a.includes('"Errors"'))).toContain('TasksFunction');
  });

  it('has a dashboard with the alarm figures and the custom metrics', () => {
    const body = JSON.stringify(only(resourcesOf(s.api, 'AWS::CloudWatch::Dashboard'))[1].Properties);
    for (const name of [
      'TasksCreated',
      'TasksCompleted',
      'ValidationFailures',
      'AuthorizerDenials',
      '5XXError',
    ])
      expect(body).toContain(name);
    expect(body).toContain('\\"service\\",\\"task-service\\"');
  });

  it("names the dashboard by stage and region, since dashboard names are unique across the account's regions", () => {
    const [, dashboard] = only(resourcesOf(s.api, 'AWS::CloudWatch::Dashboard'));
    expect(dashboard.Properties.DashboardName).toEqual({
      'Fn::Join': ['', ['TaskService-dev-', { Ref: 'AWS::Region' }]],
    });
  });

  it('outputs the API URL, the secret name and the command that reads the token', () => {
    const outputs = s.api.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'TokenSecretName', 'TokenSecretArn', 'ReadTokenCommand']),
    );
    expect(JSON.stringify(outputs.ReadTokenCommand?.Value)).toContain('aws secretsmanager get-secret-value');
  });
});

describe('the deployed bundles', () => {
  const assetDirOf = (name: string): string => {
    const key: string = functionNamed(name)[1].Properties.Code.S3Key;
    return join(s.outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };

  it('bundle the entry files npm start imports, and the purge, which it runs in process instead', () => {
    const server = readFileSync(join(REPO_ROOT, 'src/local/server.ts'), 'utf8');
    const imported = [...server.matchAll(/import\('\.\.\/(lambda\/[\w-]+)\.js'\)/g)].map(
      (m) => `src/${m[1]}.ts`,
    );
    // npm start has no stream: it calls src/store/list-purge.ts itself, the code this entry wraps.
    const { purge, ...served } = LAMBDA_ENTRIES;
    expect(imported.sort()).toEqual(Object.values(served).sort());
    expect(purge).toBe('src/lambda/purge.ts');
  });

  it.each([
    ['TasksFunction', 'tasks'],
    ['AuthorizerFunction', 'authorizer'],
    ['PurgeFunction', 'purge'],
  ] as const)(
    '%s is byte for byte the bundle the size budget measures (scripts/bundle.ts)',
    async (name, entry) => {
      const deployed = readFileSync(join(assetDirOf(name), 'index.mjs'), 'utf8');
      const bundle = await bundleEntry(entry);
      expect(deployed.length).toBe(bundle.code.length);
      expect(deployed === bundle.code).toBe(true);
    },
  );

  it('ship Swagger UI’s assets beside the task bundle only', () => {
    for (const file of SWAGGER_UI_ASSETS)
      expect(existsSync(join(assetDirOf('TasksFunction'), 'swagger-ui', file)), file).toBe(true);
    for (const other of ['AuthorizerFunction', 'PurgeFunction'])
      expect(readdirSync(assetDirOf(other)), other).toEqual(['index.mjs']);
  });
});
