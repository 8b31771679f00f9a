/**
 * The responses API Gateway generates itself, before or instead of the task Lambda. The CDK stack
 * configures its GatewayResponses from this table (adding CORS headers and a JSON `message`), and the local
 * gateway answers with exactly these statuses, bodies and `x-amzn-ErrorType` values.
 */
import { API_GATEWAY_LIMITS } from '../settings/platform.js';

export interface GatewayResponse {
  readonly statusCode: number;
  readonly errorType: string;
  /**
   * The JSON body. AWS's default policy-denial body has only a capital `Message`; this stage's gateway
   * responses add the lower-case `message` every other error carries, and keep `Message` for clients of
   * the default.
   */
  readonly body: Readonly<Record<string, string | null>>;
  /** When it happens, for the docs and the OpenAPI document. */
  readonly description: string;
  /**
   * Where it can answer: on every route, on routes behind the authorizer, on bodies checked against a
   * model, or on requests that match no route at all.
   */
  readonly scope: 'any' | 'authorized' | 'body' | 'unrouted';
  /**
   * The stage's gateway response sends `body` as it is, not API Gateway's `$context.error.messageString`,
   * because that message can echo what the caller sent.
   */
  readonly fixedBody?: true;
  /** The `x-amzn-ErrorType` API Gateway sends instead when the request carries an `Authorization` header. */
  readonly errorTypeWithAuthorization?: string;
  /**
   * Not a gateway response type the stack can configure: API Gateway's mapping of a refusal from Lambda,
   * which the local gateway reproduces as observed.
   */
  readonly lambdaRefusal?: true;
  /**
   * Not API Gateway's but the stage's AWS WAF web ACL's answer (infra/rate-limit.ts), with a `Retry-After`
   * in whole seconds; the local gateway answers it from its own per-principal buckets.
   */
  readonly webAcl?: true;
}

export const GATEWAY_RESPONSES = Object.freeze({
  MISSING_AUTHENTICATION_TOKEN: {
    statusCode: 403,
    errorType: 'MissingAuthenticationTokenException',
    body: { message: 'Missing Authentication Token' },
    description:
      'An unknown path, method or stage: checked before auth, so it is a 403 (never a 404 or 405) with or without a valid token. ' +
      'With an `Authorization` header its type is `IncompleteSignatureException`; the body is this fixed text either way, never an echo of the header',
    scope: 'unrouted',
    // API Gateway's own message for a request with an Authorization header quotes the header, token included.
    fixedBody: true,
    errorTypeWithAuthorization: 'IncompleteSignatureException',
  },
  THROTTLED: {
    statusCode: 429,
    errorType: 'TooManyRequestsException',
    body: { message: 'Too Many Requests' },
    description: "Over the stage's throttling limits",
    scope: 'any',
  },
  PRINCIPAL_THROTTLED: {
    statusCode: 429,
    errorType: 'TooManyRequestsException',
    body: {
      message: 'Too Many Requests: this caller is over its request rate; retry after Retry-After seconds',
    },
    description:
      "Over the caller's own request rate, per token (`Retry-After` in whole seconds); on AWS the stage's WAF rule answers it, before API Gateway",
    scope: 'authorized',
    webAcl: true,
  },
  UNAUTHORIZED: {
    statusCode: 401,
    errorType: 'UnauthorizedException',
    body: { message: 'Unauthorized' },
    description: 'No or an empty `Authorization` header (the authorizer is not called), or an invalid token',
    scope: 'authorized',
  },
  EXPLICIT_DENY: {
    statusCode: 403,
    errorType: 'AccessDeniedException',
    body: {
      message: 'User is not authorized to access this resource with an explicit deny',
      Message: 'User is not authorized to access this resource with an explicit deny',
    },
    description: "The token's policy denies this route explicitly",
    scope: 'authorized',
  },
  ACCESS_DENIED: {
    statusCode: 403,
    errorType: 'AccessDeniedException',
    body: {
      message: 'User is not authorized to access this resource',
      Message: 'User is not authorized to access this resource',
    },
    description: "The token's policy does not allow this route (e.g. a read-only token writing)",
    scope: 'authorized',
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    statusCode: 500,
    errorType: 'AuthorizerConfigurationException',
    body: { message: null },
    description: 'The authorizer failed or answered malformed (not cached)',
    scope: 'authorized',
  },
  AUTHORIZER_FAILURE: {
    statusCode: 500,
    errorType: 'AuthorizerFailureException',
    body: { message: null },
    description: 'The authorizer could not be invoked',
    scope: 'authorized',
  },
  BAD_GATEWAY: {
    statusCode: 502,
    errorType: 'InternalServerErrorException',
    body: { message: 'Internal server error' },
    description: 'The task Lambda failed or answered malformed',
    scope: 'any',
  },
  INTEGRATION_TIMEOUT: {
    statusCode: 504,
    errorType: 'IntegrationTimeoutException',
    body: { message: 'Endpoint request timed out' },
    description: `The task Lambda took longer than ${API_GATEWAY_LIMITS.integrationTimeoutMs / 1000} s`,
    scope: 'any',
  },
  /** Only when the stage validates bodies against the models (see src/local/request-validator.ts). */
  BAD_REQUEST_BODY: {
    statusCode: 400,
    errorType: 'BadRequestException',
    body: { message: 'Invalid request body' },
    description: 'A body that breaks the request model, when the stage validates bodies',
    scope: 'body',
  },
  REQUEST_TOO_LARGE: {
    statusCode: 413,
    errorType: 'RequestTooLargeException',
    body: { message: 'Request Too Long' },
    description: 'A body over 10 MB',
    scope: 'any',
  },
  /** Lambda refuses an invoke payload over 6 MB, so API Gateway answers this before the function runs. */
  INVOKE_PAYLOAD_TOO_LARGE: {
    statusCode: 413,
    errorType: 'BadRequestException',
    body: { message: 'Request Too Long' },
    description:
      'A request whose Lambda event (the body as JSON text, or base64 for binary media types, plus headers) is over 6 MB',
    scope: 'any',
    lambdaRefusal: true,
  },
} satisfies Record<string, GatewayResponse>);

export type GatewayResponseName = keyof typeof GATEWAY_RESPONSES;
