/**
 * The responses API Gateway generates itself, before or instead of the task Lambda. The CDK stack
 * configures its GatewayResponses from this table (adding CORS headers and a JSON `message`), and the local
 * gateway answers with exactly these statuses, bodies and `x-amzn-ErrorType` values.
 */
export interface GatewayResponse {
  readonly statusCode: number;
  readonly errorType: string;
  /**
   * The JSON body. AWS's default policy-denial body has only a capital `Message`; this stage's gateway
   * responses add the lower-case `message` every other error carries, and keep `Message` for clients of
   * the default.
   */
  readonly body: Readonly<Record<string, string | null>>;
}

export const GATEWAY_RESPONSES = Object.freeze({
  MISSING_AUTHENTICATION_TOKEN: {
    statusCode: 403,
    errorType: 'MissingAuthenticationTokenException',
    body: { message: 'Missing Authentication Token' },
  },
  THROTTLED: {
    statusCode: 429,
    errorType: 'TooManyRequestsException',
    body: { message: 'Too Many Requests' },
  },
  UNAUTHORIZED: { statusCode: 401, errorType: 'UnauthorizedException', body: { message: 'Unauthorized' } },
  EXPLICIT_DENY: {
    statusCode: 403,
    errorType: 'AccessDeniedException',
    body: {
      message: 'User is not authorized to access this resource with an explicit deny',
      Message: 'User is not authorized to access this resource with an explicit deny',
    },
  },
  ACCESS_DENIED: {
    statusCode: 403,
    errorType: 'AccessDeniedException',
    body: {
      message: 'User is not authorized to access this resource',
      Message: 'User is not authorized to access this resource',
    },
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    statusCode: 500,
    errorType: 'AuthorizerConfigurationException',
    body: { message: null },
  },
  AUTHORIZER_FAILURE: { statusCode: 500, errorType: 'AuthorizerFailureException', body: { message: null } },
  BAD_GATEWAY: {
    statusCode: 502,
    errorType: 'InternalServerErrorException',
    body: { message: 'Internal server error' },
  },
  INTEGRATION_TIMEOUT: {
    statusCode: 504,
    errorType: 'IntegrationTimeoutException',
    body: { message: 'Endpoint request timed out' },
  },
  /** Only when the stage validates bodies against the models (see src/local/request-validator.ts). */
  BAD_REQUEST_BODY: {
    statusCode: 400,
    errorType: 'BadRequestException',
    body: { message: 'Invalid request body' },
  },
  REQUEST_TOO_LARGE: {
    statusCode: 413,
    errorType: 'RequestTooLargeException',
    body: { message: 'Request Too Long' },
  },
} satisfies Record<string, GatewayResponse>);

export type GatewayResponseName = keyof typeof GATEWAY_RESPONSES;
