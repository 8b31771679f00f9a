import type { AuthorizerConfig } from '../config.js';
import { makeJwtVerifier } from './jwt.js';
import type { CredentialVerifier } from './principal.js';
import { makeSecretTokenLoader } from './secret-tokens.js';
import { makeStaticTokenVerifier, tokenTableFrom } from './tokens.js';

/** Chooses the credential check the configuration asks for. */
export function makeCredentialVerifier(config: AuthorizerConfig): CredentialVerifier {
  if (config.AUTH_MODE === 'jwt') {
    return makeJwtVerifier({
      // Both issuers this service runs with, Cognito and npm start's, mark access tokens so: an ID token
      // is refused locally as it is in the cloud.
      requireTokenUse: 'access',
      issuer: config.JWT_ISSUER,
      jwksUrl: config.JWT_JWKS_URL,
      ...(config.JWT_AUDIENCE && { audience: config.JWT_AUDIENCE }),
      ...(config.JWT_CLIENT_IDS.length > 0 && { clientIds: config.JWT_CLIENT_IDS }),
    });
  }
  // In the cloud the tokens live in Secrets Manager (only the ARN is in the environment); locally, in env.
  if (config.TOKENS_SECRET_ARN) {
    return makeStaticTokenVerifier(
      makeSecretTokenLoader({ secretId: config.TOKENS_SECRET_ARN, ttlSeconds: config.TOKENS_CACHE_SECONDS }),
    );
  }
  const table = tokenTableFrom(config.API_TOKEN, config.API_TOKENS);
  return makeStaticTokenVerifier(() => table);
}
