/**
 * Composition root of the authorizer Lambda, bundled by CDK and imported by `npm start` alike.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { makeAuthorizer } from '../auth/authorizer.js';
import { makeCredentialVerifier } from '../auth/verifier.js';
import { loadAuthorizerConfig } from '../config.js';

const logger = new Logger({ serviceName: 'task-service-authorizer' });
const authorize = makeAuthorizer({
  verifier: makeCredentialVerifier(loadAuthorizerConfig(process.env)),
  logger,
});

export async function handler(
  event: APIGatewayTokenAuthorizerEvent,
  context: Context,
): Promise<APIGatewayAuthorizerResult> {
  logger.addContext(context);
  return authorize(event);
}
