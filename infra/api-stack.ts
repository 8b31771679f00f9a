import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  FUNCTION_GRANTS,
  type FunctionName,
  type ResourceArns,
  statementsOf,
} from '../src/lambda/permissions.js';
import { taskFunctionEnvironment } from '../src/settings/function-env.js';
import { type AuthMaterial, CognitoAuth, TokenSecret } from './auth.js';
import { CursorKey } from './cursor-key.js';
import { ServiceFunction } from './functions.js';
import { ListPurge } from './list-purge.js';
import { Observability } from './observability.js';
import { PrincipalRateLimit } from './rate-limit.js';
import { TaskApi } from './rest-api.js';
import { type ServiceConfig, WEB_APP_ORIGIN } from './stage-settings.js';
import { WebApp } from './web-app.js';

/** Grants a function exactly its calls (src/lambda/permissions.ts) on the resources this stage has. */
function grantCalls(fn: IFunction, name: FunctionName, arns: ResourceArns): void {
  for (const { actions, resources } of statementsOf(name, arns))
    fn.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [...resources] }));
}

export interface ApiStackProps extends StackProps {
  readonly config: ServiceConfig;
  readonly table: ITableV2;
}

const X_RAY_REASON =
  'Active tracing: X-Ray PutTraceSegments and PutTelemetryRecords accept only Resource "*" (AWS-managed grant).';

/**
 * The stateless half: the functions, their auth material, the REST API, the purge of deleted lists, alarms
 * and the dashboard.
 */
export class ApiStack extends Stack {
  readonly tasks: ServiceFunction;
  readonly authorizer: ServiceFunction;
  readonly purge: ListPurge;
  readonly auth: AuthMaterial;
  readonly taskApi: TaskApi;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { table } = props;
    const removeLogs = !props.config.retainData;
    const web = props.config.webApp
      ? new WebApp(this, 'Web', {
          stage: props.config.stage,
          removeOnDestroy: removeLogs,
          logRetentionDays: props.config.logRetentionDays,
        })
      : undefined;
    const corsOrigins = props.config.corsOrigins.map((o) => (o === WEB_APP_ORIGIN && web ? web.origin : o));
    const callbackUrls = [...props.config.callbackUrls, ...(web ? [web.callbackUrl] : [])];
    const config = { ...props.config, corsOrigins, callbackUrls };
    this.auth =
      config.authMode === 'jwt'
        ? new CognitoAuth(this, 'Auth', {
            stage: config.stage,
            removeOnDestroy: removeLogs,
            callbackUrls: config.callbackUrls,
          })
        : new TokenSecret(this, 'Auth', { stage: config.stage, removeOnDestroy: removeLogs });

    const cursorKey = new CursorKey(this, 'Cursors', { stage: config.stage });
    this.tasks = new ServiceFunction(this, 'Tasks', {
      entry: 'tasks',
      stage: config.stage,
      description: 'Task API: every route of src/api/routes.ts',
      memorySize: 1024,
      timeout: Duration.seconds(10),
      environment: taskFunctionEnvironment({
        tableName: table.tableName,
        corsOrigins: config.corsOrigins,
        cursorKeySecretArn: cursorKey.secret.secretArn,
      }),
      logRetentionDays: config.logRetentionDays,
      removeLogs,
    });
    this.authorizer = new ServiceFunction(this, 'Authorizer', {
      entry: 'authorizer',
      stage: config.stage,
      description: 'TOKEN authorizer: static tokens from Secrets Manager or Cognito JWTs',
      memorySize: 512,
      timeout: Duration.seconds(5),
      environment: { ...this.auth.environment },
      logRetentionDays: config.logRetentionDays,
      removeLogs,
    });
    this.purge = new ListPurge(this, 'Purge', {
      stage: config.stage,
      table,
      logRetentionDays: config.logRetentionDays,
      removeLogs,
    });
    grantCalls(this.tasks.fn, 'tasks', {
      tableArn: table.tableArn,
      cursorKeySecretArn: cursorKey.secret.secretArn,
    });
    grantCalls(this.authorizer.fn, 'authorizer', this.auth.resourceArns);
    grantCalls(this.purge.function.fn, 'purge', { tableArn: table.tableArn });
    for (const fn of [this.tasks.fn, this.authorizer.fn, this.purge.function.fn]) {
      Validations.of(fn).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.',
        },
        { id: 'AwsSolutions-IAM5[Resource::*]', reason: X_RAY_REASON },
      );
    }

    this.taskApi = new TaskApi(this, 'Rest', {
      config,
      tasks: this.tasks.fn,
      authorizer: this.authorizer.fn,
      accessLogRetention: config.logRetentionDays as RetentionDays,
    });
    new PrincipalRateLimit(this, 'RateLimit', {
      stage: this.taskApi.api.deploymentStage,
      stageName: config.stage,
      limits: { rateLimit: config.principalRateLimit, burstLimit: config.principalBurstLimit },
      corsOrigins: config.corsOrigins,
    });
    new Observability(this, 'Observability', {
      stage: config.stage,
      api: this.taskApi.api,
      accessLogs: this.taskApi.accessLogs,
      functions: { tasks: this.tasks.fn, authorizer: this.authorizer.fn },
      table,
      tableOperations: FUNCTION_GRANTS.tasks
        .flatMap((grant) => grant.actions)
        .map((action) => action.replace(/^dynamodb:/, '')),
      purgeDeadLetters: this.purge.deadLetters,
      alarmEmail: config.alarmEmail,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.taskApi.api.url });
    const apiOrigin = `https://${this.taskApi.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}`;
    const login = this.auth instanceof CognitoAuth ? this.auth.hostedLogin : undefined;
    web?.deploy(
      { apiUrl: `${apiOrigin}/${config.stage}`, authMode: config.authMode, ...(login && { login }) },
      [apiOrigin, ...(login ? [login.domain] : [])],
    );
  }
}
