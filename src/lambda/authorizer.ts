/**
 * Composition root of the authorizer Lambda, bundled by CDK and imported by `npm start` alike.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { makeAuthorizer } from '../auth/authorizer.js';
import { makeSecretTokenLoader } from '../auth/secret-tokens.js';
import { makeStaticTokenVerifier } from '../auth/tokens.js';
import { makeCredentialVerifier } from '../auth/verifier.js';
import { loadAuthorizerConfig } from '../config.js';
import { METRIC, makeTelemetry } from './telemetry.js';

const telemetry = makeTelemetry('authorizer');
const { logger } = telemetry;
const config = loadAuthorizerConfig(process.env);
// In the cloud the tokens live in Secrets Manager (only the ARN is in the environment); locally, in env.
const verifier =
  config.AUTH_MODE === 'token' && config.TOKENS_SECRET_ARN
    ? makeStaticTokenVerifier(
        makeSecretTokenLoader({
          secretId: config.TOKENS_SECRET_ARN,
          ttlSeconds: config.TOKENS_CACHE_SECONDS,
        }),
      )
    : makeCredentialVerifier(config);
const authorize = makeAuthorizer({
  verifier,
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
