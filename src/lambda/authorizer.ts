/**
 * Composition root of the authorizer Lambda, bundled by CDK and imported by `npm start` alike.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { makeAuthorizer } from '../auth/authorizer.js';
import { makeCredentialVerifier } from '../auth/verifier.js';
import { loadAuthorizerConfig } from '../config.js';
import { METRIC, makeTelemetry } from './telemetry.js';

const telemetry = makeTelemetry('authorizer');
const { logger } = telemetry;
const authorize = makeAuthorizer({
  verifier: makeCredentialVerifier(loadAuthorizerConfig(process.env)),
  logger,
  onDenied: () => telemetry.count(METRIC.authorizerDenials),
});

export async function handler(
  event: APIGatewayTokenAuthorizerEvent,
  context: Context,
): Promise<APIGatewayAuthorizerResult> {
  logger.addContext(context);
  try {
    return await authorize(event);
  } finally {
    telemetry.flush();
  }
}
