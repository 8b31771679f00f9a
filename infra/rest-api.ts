// Long on purpose (~265 lines): the REST API, its methods, models, gateway responses and stage are one construct,
// since each refers to the others; the facts it applies live in src/api (routes, models, responses).
import { Duration, Lazy, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  type CfnMethod,
  type CfnRestApi,
  EndpointType,
  IdentitySource,
  type IModel,
  type JsonSchema,
  JsonSchemaVersion,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  type RequestValidator,
  ResponseType,
  RestApi,
  SecurityPolicy,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  CORS_ALLOW_HEADERS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
  gatewayAllowOrigin,
} from '../src/api/cors.js';
import {
  GATEWAY_RESPONSES,
  type GatewayResponse,
  type GatewayResponseName,
} from '../src/api/gateway-responses.js';
import { BINARY_MEDIA_TYPES } from '../src/api/request.js';
import { type JsonSchemaDraft4, requestModelOf } from '../src/api/request-models.js';
import { API_RESPONSE_HEADERS } from '../src/api/response-headers.js';
import { ROUTES, type Route, resourcePaths } from '../src/api/routes.js';
import type { ServiceConfig } from './stage-settings.js';

/**
 * One JSON line per request; `$context` fields as API Gateway documents them. API Gateway puts each value
 * into the format as it is, escaping nothing (DataBiosphere/azul#4009, #4348), and a line that is not JSON
 * is skipped by the metric filters the alarms count. So no field a caller writes freely is logged:
 * - `$context.identity.userAgent` (any header text, `"` and `\` included): left out;
 * - `$context.path` (the path as sent): left out; `resourcePath` (the route's template) and the request
 *   ids say which route, and the execution log and X-Ray hold the rest;
 * - `$context.error.message`: left out, since for a malformed `Authorization` header it quotes the header,
 *   a caller's credentials included; `errorType` names the error.
 * The remaining values are API Gateway's own (ids, times, numbers, method, the authorizer's principal).
 */
export const ACCESS_LOG_FIELDS = Object.freeze({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  stage: '$context.stage',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  principalId: '$context.authorizer.principalId',
  authorizerError: '$context.authorizer.error',
  errorType: '$context.error.responseType',
  xrayTraceId: '$context.xrayTraceId',
});

/** How a preflight's MOCK converts bodies, both ways (see addResources). */
export const PREFLIGHT_CONTENT_HANDLING = 'CONVERT_TO_TEXT';

/** The local gateway's error names that are also API Gateway response types, plus the two defaults. */
const RESPONSE_TYPES: readonly (readonly [ResponseType, GatewayResponseName | undefined])[] = [
  [ResponseType.DEFAULT_4XX, undefined],
  [ResponseType.DEFAULT_5XX, undefined],
  [ResponseType.UNAUTHORIZED, 'UNAUTHORIZED'],
  [ResponseType.ACCESS_DENIED, 'ACCESS_DENIED'],
  [ResponseType.MISSING_AUTHENTICATION_TOKEN, 'MISSING_AUTHENTICATION_TOKEN'],
  [ResponseType.THROTTLED, 'THROTTLED'],
  [ResponseType.REQUEST_TOO_LARGE, 'REQUEST_TOO_LARGE'],
  [ResponseType.BAD_REQUEST_BODY, 'BAD_REQUEST_BODY'],
  [ResponseType.AUTHORIZER_FAILURE, 'AUTHORIZER_FAILURE'],
  [ResponseType.AUTHORIZER_CONFIGURATION_ERROR, 'AUTHORIZER_CONFIGURATION_ERROR'],
  [ResponseType.INTEGRATION_TIMEOUT, 'INTEGRATION_TIMEOUT'],
];

export interface TaskApiProps {
  readonly config: ServiceConfig;
  readonly tasks: IFunction;
  readonly authorizer: IFunction;
  readonly accessLogRetention: RetentionDays;
}

/** The draft-4 document from the zod schema, in CDK's JsonSchema spelling (`schema` for `$schema`). */
function cdkSchemaOf(document: JsonSchemaDraft4): JsonSchema {
  const { $schema: _dialect, ...rest } = document;
  return { schema: JsonSchemaVersion.DRAFT4, ...rest } as JsonSchema;
}

/**
 * The REST API: exactly the routes of src/api/routes.ts, each behind the TOKEN authorizer unless public,
 * an unauthenticated CORS preflight per resource, and API Gateway's own errors made JSON with CORS.
 */
export class TaskApi extends Construct {
  readonly api: RestApi;
  /** The stage's access log (ACCESS_LOG_FIELDS): alarms count refusals and authorizer failures in it. */
  readonly accessLogs: LogGroup;
  readonly methods: Method[] = [];
  private readonly models = new Map<string, IModel>();

  constructor(scope: Construct, id: string, props: TaskApiProps) {
    super(scope, id);
    const { config } = props;
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.accessLogs = accessLogs;
    this.api = new RestApi(this, 'Api', {
      restApiName: `task-service-${config.stage}`,
      description: 'Task service: tasks behind a TOKEN authorizer',
      endpointTypes: [EndpointType.REGIONAL],
      // JSON bodies reach the function as the bytes sent, so it can refuse bytes that are not UTF-8.
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      cloudWatchRole: true,
      // The role is an account-wide API Gateway setting other APIs may rely on: never removed with a stage.
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: config.stage,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        throttlingRateLimit: config.throttleRateLimit,
        throttlingBurstLimit: config.throttleBurstLimit,
      },
    });
    // TLS 1.2 at least on the execute-api endpoint. The legacy TLS_1_2 policy, not an enhanced
    // `SecurityPolicy_…` one: those also need an endpoint access mode and, with STRICT, SNI host matching.
    (this.api.node.defaultChild as CfnRestApi).securityPolicy = SecurityPolicy.TLS_1_2;
    this.createExecutionLogs(config, props.accessLogRetention);
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'API Gateway execution logging needs the account-level CloudWatch role; ' +
        'AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for it.',
    });
    const authorizer = new TokenAuthorizer(this, 'Authorizer', {
      handler: props.authorizer,
      identitySource: IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.seconds(config.authorizerCacheSeconds),
    });
    const validator = this.api.addRequestValidator('Validator', {
      validateRequestParameters: true,
      validateRequestBody: config.validateRequestBody,
    });
    if (!config.validateRequestBody) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-APIG2',
        reason:
          'Bodies are validated by the handler against the same zod schemas the models come from, which keeps ' +
          "the contract's field-level 400s (`Field 'title' is required`, `Invalid JSON`); context " +
          'validateRequestBody=true makes API Gateway reject them first with `Invalid request body`.',
      });
    }
    const integration = new LambdaIntegration(props.tasks, { proxy: true, scopePermissionToMethod: false });
    this.addResources(config);
    for (const route of ROUTES) this.addRoute(route, integration, authorizer, validator);
    this.addGatewayResponses(config.corsOrigins);
  }

  /**
   * The stage's execution log group, which API Gateway would otherwise create on its first error with no
   * retention and keep after `cdk destroy`. Created before the stage, under the name API Gateway writes to.
   */
  private createExecutionLogs(config: ServiceConfig, retention: RetentionDays): void {
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${config.stage}`,
      retention,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.api.deploymentStage.node.addDependency(executionLogs);
  }

  private addResources(config: ServiceConfig): void {
    for (const path of resourcePaths(ROUTES)) {
      const methods = ROUTES.filter((route) => route.resource === path).map((route) => route.method);
      const preflight = this.api.root.resourceForPath(path).addCorsPreflight({
        allowOrigins: [...config.corsOrigins],
        allowHeaders: [...CORS_ALLOW_HEADERS],
        allowMethods: [...methods, 'OPTIONS'],
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      });
      // The MOCK's request template must apply to a preflight API Gateway takes as binary (binaryMediaTypes),
      // else it answers 500: convert to text both ways, the known remedy.
      const mock = preflight.node.defaultChild as CfnMethod;
      mock.addPropertyOverride('Integration.ContentHandling', PREFLIGHT_CONTENT_HANDLING);
      mock.addPropertyOverride(
        'Integration.IntegrationResponses.0.ContentHandling',
        PREFLIGHT_CONTENT_HANDLING,
      );
      // A preflight is an API response too: the same no-store and nosniff as every other (a `.` in a
      // property name is escaped in an override's path).
      for (const [name, value] of Object.entries(API_RESPONSE_HEADERS)) {
        const parameter = `method\\.response\\.header\\.${name}`;
        mock.addPropertyOverride(`MethodResponses.0.ResponseParameters.${parameter}`, true);
        mock.addPropertyOverride(
          `Integration.IntegrationResponses.0.ResponseParameters.${parameter}`,
          `'${value}'`,
        );
      }
      // The Deployment's logical id hashes each method's properties but not its overrides: add the overrides
      // as they stand at synth, so any later edit of them makes a new deployment and reaches the stage.
      this.api.latestDeployment?.addToLogicalId({
        preflight: path,
        overrides: Lazy.any({ produce: () => (mock as unknown as { rawOverrides: unknown }).rawOverrides }),
      });
      Validations.of(preflight).acknowledge(
        { id: 'AwsSolutions-APIG4', reason: 'CORS preflight: browsers send OPTIONS without credentials.' },
        { id: 'AwsSolutions-COG4', reason: 'CORS preflight: browsers send OPTIONS without credentials.' },
      );
    }
  }

  private addRoute(
    route: Route,
    integration: LambdaIntegration,
    authorizer: TokenAuthorizer,
    validator: RequestValidator,
  ): void {
    const resource = this.api.root.resourceForPath(route.resource);
    const model = this.modelOf(route);
    const method = resource.addMethod(route.method, integration, {
      operationName: route.operationId,
      requestValidator: validator,
      ...(model && { requestModels: { 'application/json': model } }),
      ...(route.public
        ? { authorizationType: AuthorizationType.NONE }
        : { authorizer, authorizationType: AuthorizationType.CUSTOM }),
    });
    this.methods.push(method);
    if (route.public) {
      Validations.of(method).acknowledge(
        { id: 'AwsSolutions-APIG4', reason: `${route.operationId} is public by design (routes.ts).` },
        { id: 'AwsSolutions-COG4', reason: `${route.operationId} is public by design (routes.ts).` },
      );
    } else {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason:
          'The Lambda TOKEN authorizer verifies both static tokens and Cognito access tokens and maps scopes ' +
          'to a policy over every route; a Cognito authorizer could do neither.',
      });
    }
  }

  private modelOf(route: Route): IModel | undefined {
    const generated = requestModelOf(route.operationId);
    if (!generated) return undefined;
    const existing = this.models.get(generated.name);
    if (existing) return existing;
    const model = this.api.addModel(generated.name, {
      modelName: generated.name,
      contentType: 'application/json',
      schema: cdkSchemaOf(generated.schema),
    });
    this.models.set(generated.name, model);
    return model;
  }

  /**
   * API Gateway's own errors carry CORS headers (else browsers report a CORS failure instead of a 401), the
   * headers of every API response, and the same JSON body keys the local gateway sends (`message`, and also
   * AWS's `Message` on policy denials). A fixed body replaces a message that could echo the request.
   */
  private addGatewayResponses(corsOrigins: readonly string[]): void {
    const allow = gatewayAllowOrigin(corsOrigins);
    const quoted = (value: string) => `'${value}'`;
    const headers: Record<string, string> = {
      // A gateway response cannot pick from a list: several origins echo the caller's (docs/operate.md).
      'Access-Control-Allow-Origin': allow === 'echo' ? 'method.request.header.Origin' : quoted(allow.static),
      'Access-Control-Expose-Headers': quoted(CORS_EXPOSE_HEADERS.join(', ')),
      ...(!corsOrigins.includes('*') && { Vary: quoted('Origin') }),
      ...Object.fromEntries(
        Object.entries(API_RESPONSE_HEADERS).map(([name, value]) => [name, quoted(value)]),
      ),
    };
    for (const [type, name] of RESPONSE_TYPES) {
      const response: GatewayResponse | undefined = name && GATEWAY_RESPONSES[name];
      const keys = response ? Object.keys(response.body) : ['message'];
      const template = response?.fixedBody
        ? JSON.stringify(response.body)
        : `{${keys.map((key) => `"${key}":$context.error.messageString`).join(',')}}`;
      this.api.addGatewayResponse(`Response${type.responseType}`, {
        type,
        responseHeaders: headers,
        templates: { 'application/json': template },
      });
    }
  }
}
