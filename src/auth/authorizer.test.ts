import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../api/routes.js';
import { evaluatePolicy, type PolicyDocumentShape } from '../local/iam-policy.js';
import { makeAuthorizer } from './authorizer.js';
import type { CredentialVerifier, Principal } from './principal.js';
import { makeStaticTokenVerifier } from './tokens.js';

const STAGE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev';
const TOKEN = 'the-right-token-0123456789';

function setUp(verifier: CredentialVerifier = makeStaticTokenVerifier(() => new Map([['alice', TOKEN]]))) {
  const logged: unknown[][] = [];
  const authorize = makeAuthorizer({
    verifier,
    routes: ROUTES,
    logger: { info: (...args) => void logged.push(args) },
  });
  return { authorize, logged };
}

const event = (
  authorizationToken: string,
  methodArn = `${STAGE}/GET/tasks`,
): APIGatewayTokenAuthorizerEvent => ({
  type: 'TOKEN',
  authorizationToken,
  methodArn,
});

describe('the authorizer', () => {
  it('answers a valid raw token with the principal and a policy for every route', async () => {
    const { authorize } = setUp();
    const result = await authorize(event(TOKEN));
    expect(result.principalId).toBe('alice');
    const policy = result.policyDocument as PolicyDocumentShape;
    expect(evaluatePolicy(policy, `${STAGE}/DELETE/tasks/0190a8a4-0000-7000-8000-000000000000`)).toBe(
      'allow',
    );
  });

  it('answers a valid Bearer token', async () => {
    const { authorize } = setUp();
    expect((await authorize(event(`Bearer ${TOKEN}`))).principalId).toBe('alice');
  });

  it('passes the scopes and the auth mode to the handler as context strings', async () => {
    const { authorize } = setUp();
    expect((await authorize(event(TOKEN))).context).toEqual({
      scopes: 'tasks/read tasks/write',
      authMode: 'token',
    });
  });

  it('passes a credential’s expiry as `exp`, so the task function can refuse it once a cached Allow outlives it', async () => {
    const expiring: CredentialVerifier = {
      verify: async () => ({
        principalId: 'alice',
        scopes: ['tasks/read'],
        authMode: 'jwt',
        expiresAt: 1_900_000_000,
      }),
    };
    const { authorize } = setUp(expiring);
    expect((await authorize(event('a.jwt.here'))).context).toEqual({
      scopes: 'tasks/read',
      authMode: 'jwt',
      exp: 1_900_000_000,
    });
  });

  it.each([
    ['a wrong token', 'wrong'],
    ['a near miss', `${TOKEN}x`],
    ['an empty header', ''],
    ['blanks', '   '],
  ])('throws exactly Unauthorized for %s', async (_kind, token) => {
    const { authorize } = setUp();
    await expect(authorize(event(token))).rejects.toThrow(new Error('Unauthorized'));
  });

  it('never logs the credential', async () => {
    const { authorize, logged } = setUp();
    await authorize(event('Bearer s3cret-wrong-token')).catch(() => undefined);
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).not.toContain('s3cret');
  });

  it('lets a verifier failure escape as itself, so API Gateway answers 500 rather than 401', async () => {
    const { authorize } = setUp({ verify: () => Promise.reject(new Error('JWKS down')) });
    await expect(authorize(event(TOKEN))).rejects.toThrow('JWKS down');
  });

  it('answers a principal without scopes with an explicit Deny', async () => {
    const none: Principal = { principalId: 'carol', scopes: [], authMode: 'jwt' };
    const { authorize } = setUp({ verify: async () => none });
    const result = await authorize(event('x'));
    expect(evaluatePolicy(result.policyDocument as PolicyDocumentShape, `${STAGE}/GET/tasks`)).toBe(
      'explicit-deny',
    );
  });

  it('answers a read-only principal with a policy that refuses writes on any route', async () => {
    const reader: Principal = { principalId: 'carol', scopes: ['tasks/read'], authMode: 'jwt' };
    const { authorize } = setUp({ verify: async () => reader });
    const policy = (await authorize(event('x'))).policyDocument as PolicyDocumentShape;
    expect(evaluatePolicy(policy, `${STAGE}/GET/tasks`)).toBe('allow');
    expect(evaluatePolicy(policy, `${STAGE}/POST/tasks`)).toBe('implicit-deny');
  });
});
