import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import {
  CLOCK_TOLERANCE_SECONDS,
  type CredentialVerifier,
  PRINCIPAL_ID_PATTERN,
  type Principal,
  SCOPES,
  type Scope,
} from './principal.js';

export interface JwtVerifierOptions {
  readonly issuer: string;
  readonly jwksUrl: string | URL;
  /** Required `aud`. Cognito access tokens carry no `aud`; use `clientIds` for them. */
  readonly audience?: string;
  /** Allowed `client_id` values (Cognito app clients). */
  readonly clientIds?: readonly string[];
  readonly clockToleranceSeconds?: number;
  /** Required `token_use`. Always 'access' for a Cognito issuer, so an ID token can never pass as access. */
  readonly requireTokenUse?: 'access';
  /** Stripped from each scope before matching, e.g. `https://api.example/`; unprefixed scopes then count for nothing. */
  readonly scopePrefix?: string;
  /** How soon after a JWKS fetch an unknown `kid` may trigger another fetch (jose default 30 s). */
  readonly jwksCooldownMs?: number;
}

/**
 * The JWKS endpoint could not be reached or answered nonsense. Thrown rather than resolving `undefined`
 * because an outage is not the caller's fault: the authorizer lets it escape, API Gateway answers 500,
 * and clients retry instead of discarding a perfectly good token after a 401.
 */
export class AuthorizerUnavailableError extends Error {
  override readonly name = 'AuthorizerUnavailableError';
}

const ALGORITHMS = ['RS256', 'ES256'];
// API Gateway caps headers near 10 KB; refusing oversized input early keeps parsing cheap.
const MAX_TOKEN_LENGTH = 8192;
const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[\w-]+$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
// Errors that say "this token names no key we know", as opposed to "we could not learn the keys".
const TOKEN_KEY_ERRORS = [errors.JWKSNoMatchingKey, errors.JWKSMultipleMatchingKeys, errors.JOSENotSupported];

interface ClaimRules {
  readonly clientIds: ReadonlySet<string> | undefined;
  readonly tokenUse: 'access' | undefined;
  readonly scopePrefix: string;
}

export function makeJwtVerifier(options: JwtVerifierOptions): CredentialVerifier {
  const jwksUrl = checkJwksUrl(options.jwksUrl);
  const clientIds = checkAudienceRules(options);
  const getKey = reportOutages(createRemoteJWKSet(jwksUrl, { cooldownDuration: options.jwksCooldownMs }));
  const verifyOptions = {
    algorithms: ALGORITHMS,
    issuer: options.issuer,
    audience: options.audience || undefined,
    clockTolerance: options.clockToleranceSeconds ?? CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['exp'],
  };
  const rules: ClaimRules = {
    clientIds,
    tokenUse: COGNITO_ISSUER.test(options.issuer) ? 'access' : options.requireTokenUse,
    scopePrefix: options.scopePrefix ?? '',
  };
  return {
    async verify(credential) {
      const token = credential.replace(/^bearer +/i, '').trim();
      if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
      try {
        const { payload, protectedHeader } = await jwtVerify(token, getKey, verifyOptions);
        if (!isAccessTokenType(protectedHeader.typ)) return undefined;
        return toPrincipal(payload, rules);
      } catch (error) {
        if (error instanceof AuthorizerUnavailableError) throw error;
        return undefined;
      }
    },
  };
}

function checkJwksUrl(value: string | URL): URL {
  const url = new URL(value);
  // Keys fetched over plain HTTP could be swapped in transit; only the local issuer may use it.
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) return url;
  throw new Error(`makeJwtVerifier: jwksUrl must be https (http only on loopback), got ${url.origin}`);
}

function checkAudienceRules(options: JwtVerifierOptions): ReadonlySet<string> | undefined {
  if (options.issuer.length === 0) throw new Error('makeJwtVerifier: issuer is required');
  if (options.clientIds?.length === 0) throw new Error('makeJwtVerifier: clientIds must not be empty');
  // Without either check, any token the issuer ever minted for any app would be accepted here.
  if (!options.audience && !options.clientIds) {
    throw new Error('makeJwtVerifier: configure audience or clientIds (or both)');
  }
  return options.clientIds ? new Set(options.clientIds) : undefined;
}

function reportOutages(jwks: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      if (TOKEN_KEY_ERRORS.some((type) => error instanceof type)) throw error;
      throw new AuthorizerUnavailableError('JWKS endpoint unavailable', { cause: error });
    }
  };
}

/**
 * The header's `typ`: absent (Cognito's tokens carry none) or an access token's (RFC 9068 `at+jwt`, which
 * the local issuer sets); any other, such as an ID token's `JWT`, is not a token for this API.
 */
function isAccessTokenType(typ: string | undefined): boolean {
  return typ === undefined || /^(application\/)?at\+jwt$/i.test(typ);
}

function toPrincipal(payload: JWTPayload, rules: ClaimRules): Principal | undefined {
  if (rules.tokenUse && payload.token_use !== rules.tokenUse) return undefined;
  const clientId = payload.client_id;
  if (rules.clientIds && (typeof clientId !== 'string' || !rules.clientIds.has(clientId))) return undefined;
  // Client-credentials tokens may carry no `sub`; the app client is then the caller.
  const principalId = payload.sub ?? clientId;
  if (typeof principalId !== 'string') return undefined;
  if (!PRINCIPAL_ID_PATTERN.test(principalId)) return undefined;
  return {
    principalId,
    scopes: parseScopes(payload.scope, rules.scopePrefix),
    authMode: 'jwt',
    ...(typeof payload.exp === 'number' && { expiresAt: payload.exp }),
  };
}

function parseScopes(claim: unknown, prefix: string): Scope[] {
  if (typeof claim !== 'string') return [];
  const scopes = new Set<Scope>();
  for (const raw of claim.split(/\s+/)) {
    if (!raw.startsWith(prefix)) continue;
    const name = raw.slice(prefix.length);
    if (isScope(name)) scopes.add(name);
  }
  return [...scopes];
}

function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
