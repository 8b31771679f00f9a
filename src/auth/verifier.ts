import type { AuthorizerConfig } from '../settings/function-env.js';
import { makeJwtVerifier } from './jwt.js';
import type { CredentialVerifier } from './principal.js';
import { makeSecretsManagerFetch, makeSecretTokenLoader } from './secret-tokens.js';
import { makeStaticTokenVerifier, tokenTableFrom } from './tokens.js';

/** Chooses the credential check the configuration asks for. */
export function makeCredentialVerifier(config: AuthorizerConfig): CredentialVerifier {
  if (config.authMode === 'jwt') {
    return makeJwtVerifier({
      // Both issuers this service runs with, Cognito and npm start's, mark access tokens so: an ID token
      // is refused locally as it is in the cloud.
      requireTokenUse: 'access',
      issuer: config.jwtIssuer,
      jwksUrl: config.jwtJwksUrl,
      ...(config.jwtAudience && { audience: config.jwtAudience }),
      ...(config.jwtClientIds.length > 0 && { clientIds: config.jwtClientIds }),
    });
  }
  // In the cloud the tokens live in Secrets Manager (only the ARN is in the environment); locally, in env.
  if (config.tokensSecretArn) {
    return makeStaticTokenVerifier(
      makeSecretTokenLoader({
        secretId: config.tokensSecretArn,
        ttlSeconds: config.tokensCacheSeconds,
        fetchSecret: makeSecretsManagerFetch({ region: config.region }),
      }),
    );
  }
  const table = tokenTableFrom(config.apiToken, config.apiTokens);
  return makeStaticTokenVerifier(() => table);
}
