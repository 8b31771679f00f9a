import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { UNAUTHORIZED } from '../settings/platform.js';
import { type GrantableRoute, policyFor } from './policy.js';
import type { CredentialVerifier } from './principal.js';

export interface AuthorizerLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * The TOKEN authorizer. A missing or invalid credential throws exactly UNAUTHORIZED, which API Gateway
 * turns into a 401; any other failure propagates and becomes API Gateway's 500. The credential itself is
 * never logged.
 */
export function makeAuthorizer({
  verifier,
  logger,
  onDenied,
  routes,
}: {
  verifier: CredentialVerifier;
  /** Every route of the API: a cached policy must cover all the principal may call. */
  routes: readonly GrantableRoute[];
  logger: AuthorizerLogger;
  /** Observes each refusal (the denial-rate metric); never sees the credential. */
  onDenied?: (reason: 'missing' | 'invalid') => void;
}) {
  return async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const credential = event.authorizationToken?.trim() ?? '';
    const principal = credential === '' ? undefined : await verifier.verify(credential);
    if (!principal) {
      const reason = credential === '' ? 'missing' : 'invalid';
      logger.info('Authorization refused', { reason });
      onDenied?.(reason);
      throw new Error(UNAUTHORIZED);
    }
    return {
      principalId: principal.principalId,
      policyDocument: policyFor(principal, event.methodArn, routes),
      // `exp` lets the task function refuse a token that expires while API Gateway caches this answer.
      context: {
        scopes: principal.scopes.join(' '),
        authMode: principal.authMode,
        ...(principal.expiresAt !== undefined && { exp: principal.expiresAt }),
      },
    };
  };
}
