/**
 * Composition root of the authorizer Lambda, bundled by CDK and imported by `npm start` alike. It hands
 * the authorizer the one route table, so the policy grants exactly the routes the API has.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { ROUTES } from '../api/routes.js';
import { makeAuthorizer } from '../auth/authorizer.js';
import { makeCredentialVerifier } from '../auth/verifier.js';
import { loadAuthorizerConfig } from '../settings/function-env.js';
import { METRIC, makeTelemetry } from './telemetry.js';

const telemetry = makeTelemetry('authorizer');
const { logger } = telemetry;
const authorize = makeAuthorizer({
  verifier: makeCredentialVerifier(loadAuthorizerConfig(process.env)),
  logger,
  routes: ROUTES,
  onDenied: () => telemetry.count(METRIC.authorizerDenials),
});

export function handler(
  event: APIGatewayTokenAuthorizerEvent,
  context: Context,
): Promise<APIGatewayAuthorizerResult> {
  return telemetry.invoke(context, () => authorize(event));
}
