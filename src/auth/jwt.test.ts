// Long on purpose (~270 lines): every way a JWT must be refused is one case here, beside the verifier it specifies.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  base64url,
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthorizerUnavailableError, type JwtVerifierOptions, makeJwtVerifier } from './jwt.js';

const ISSUER = 'https://issuer.test/pool';
const AUDIENCE = 'task-service';
const CLIENT_ID = 'app-client-1';
const COGNITO_ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123';

interface TestKey {
  readonly alg: 'RS256' | 'ES256' | 'PS256';
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function makeKey(alg: TestKey['alg'], kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return {
    alg,
    kid,
    privateKey,
    publicKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

const now = () => Math.floor(Date.now() / 1000);

function mint(
  key: TestKey,
  claims: JWTPayload = {},
  header: { kid?: string; typ?: string } = {},
): Promise<string> {
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'alice',
    client_id: CLIENT_ID,
    token_use: 'access',
    scope: 'tasks/read tasks/write',
    iat: now(),
    exp: now() + 300,
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

// The JWKS the in-process server answers with; tests rotate keys by replacing it.
let servedKeys: JWK[] = [];
let server: Server;
let jwksUrl: string;
let rsa: TestKey;
let ec: TestKey;

beforeAll(async () => {
  rsa = await makeKey('RS256', 'rsa-1');
  ec = await makeKey('ES256', 'ec-1');
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: servedKeys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  servedKeys = [rsa.publicJwk, ec.publicJwk];
});

function verifier(overrides: Partial<JwtVerifierOptions> = {}) {
  return makeJwtVerifier({
    issuer: ISSUER,
    jwksUrl,
    audience: AUDIENCE,
    clientIds: [CLIENT_ID],
    requireTokenUse: 'access',
    ...overrides,
  });
}

const ALICE = {
  principalId: 'alice',
  scopes: ['tasks/read', 'tasks/write'],
  authMode: 'jwt',
  expiresAt: expect.any(Number),
};

describe('makeJwtVerifier accepts', () => {
  it('a valid RS256 token and returns its principal and scopes', async () => {
    const principal = await verifier().verify(await mint(rsa));
    expect(principal).toEqual({
      principalId: 'alice',
      scopes: ['tasks/read', 'tasks/write'],
      authMode: 'jwt',
      expiresAt: expect.any(Number),
    });
  });

  it('a token, naming its exp as the principal’s expiry', async () => {
    const exp = now() + 120;
    expect((await verifier().verify(await mint(ec, { exp })))?.expiresAt).toBe(exp);
  });

  it('a valid ES256 token', async () => {
    expect((await verifier().verify(await mint(ec)))?.principalId).toBe('alice');
  });

  it('a token that expired within the clock skew', async () => {
    expect(await verifier().verify(await mint(ec, { exp: now() - 10 }))).toEqual(ALICE);
  });

  it('a token with a lower-case Bearer prefix', async () => {
    expect(await verifier().verify(`bearer ${await mint(ec)}`)).toEqual(ALICE);
  });

  it('a token with a Bearer prefix', async () => {
    expect(await verifier().verify(`Bearer ${await mint(ec)}`)).toEqual(ALICE);
  });

  it('a Cognito-style access token without aud when only clientIds is configured', async () => {
    const token = await mint(ec, { aud: undefined });
    expect(await verifier({ audience: undefined }).verify(token)).toEqual(ALICE);
  });

  it('a token without sub and names the client as the principal', async () => {
    const principal = await verifier().verify(await mint(ec, { sub: undefined }));
    expect(principal?.principalId).toBe(CLIENT_ID);
  });

  it('a token signed with a key rotated in after the JWKS was first fetched', async () => {
    const verify = verifier({ jwksCooldownMs: 0 });
    await verify.verify(await mint(ec));
    const rotated = await makeKey('ES256', 'ec-2');
    servedKeys = [rotated.publicJwk];
    expect(await verify.verify(await mint(rotated))).toEqual(ALICE);
  });
});

describe('makeJwtVerifier refuses', () => {
  it('an expired token', async () => {
    expect(await verifier().verify(await mint(ec, { exp: now() - 120 }))).toBeUndefined();
  });

  it('a token whose nbf lies beyond the clock skew', async () => {
    expect(await verifier().verify(await mint(ec, { nbf: now() + 120 }))).toBeUndefined();
  });

  it('a token without exp', async () => {
    expect(await verifier().verify(await mint(ec, { exp: undefined }))).toBeUndefined();
  });

  it('a token signed by another key under a known kid', async () => {
    const impostor = await makeKey('ES256', ec.kid);
    expect(await verifier().verify(await mint(impostor))).toBeUndefined();
  });

  it('an unsigned token with alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const body = base64url.encode(
      JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', exp: now() + 300 }),
    );
    expect(await verifier().verify(`${header}.${body}.`)).toBeUndefined();
  });

  it('an HS256 token keyed with the public key bytes', async () => {
    const secret = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const token = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', client_id: CLIENT_ID })
      .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
      .setExpirationTime('5m')
      .sign(secret);
    expect(await verifier().verify(token)).toBeUndefined();
  });

  it('a token signed with an algorithm outside RS256 and ES256, even when the JWKS holds its key', async () => {
    const pss = await makeKey('PS256', 'pss-1');
    servedKeys = [...servedKeys, pss.publicJwk];
    expect(await verifier().verify(await mint(pss))).toBeUndefined();
  });

  it('a token from another issuer', async () => {
    expect(await verifier().verify(await mint(ec, { iss: 'https://evil.test' }))).toBeUndefined();
  });

  it('a token for another audience', async () => {
    expect(await verifier().verify(await mint(ec, { aud: 'other-service' }))).toBeUndefined();
  });

  it('a token for another client_id', async () => {
    expect(await verifier().verify(await mint(ec, { client_id: 'other-client' }))).toBeUndefined();
  });

  it('a token whose typ is not an access token’s (an ID token’s JWT)', async () => {
    expect(await verifier().verify(await mint(ec, {}, { typ: 'JWT' }))).toBeUndefined();
    expect(await verifier().verify(await mint(ec, {}, { typ: 'at+jwt' }))).toEqual(ALICE);
  });

  it('an ID token when access tokens are required', async () => {
    expect(await verifier().verify(await mint(ec, { token_use: 'id' }))).toBeUndefined();
  });

  it('an ID token from a Cognito issuer even when token_use was not configured', async () => {
    const token = await mint(ec, { iss: COGNITO_ISSUER, token_use: 'id' });
    const verify = verifier({ issuer: COGNITO_ISSUER, requireTokenUse: undefined });
    expect(await verify.verify(token)).toBeUndefined();
  });

  it('a token with neither sub nor client_id', async () => {
    const token = await mint(ec, { sub: undefined, client_id: undefined });
    expect(await verifier({ clientIds: undefined }).verify(token)).toBeUndefined();
  });

  it('a token whose subject is longer than 128 characters', async () => {
    expect(await verifier().verify(await mint(ec, { sub: 'a'.repeat(129) }))).toBeUndefined();
  });

  it.each(['alice#DONE', 'alice smith', 'T#bob'])(
    'a token whose subject %j is outside the principal id alphabet',
    async (sub) => {
      expect(await verifier().verify(await mint(ec, { sub }))).toBeUndefined();
    },
  );

  it.each(['', 'Bearer ', 'not-a-jwt', 'a.b.c', '...', 'Bearer eyJ.eyJ.sig', 'x'.repeat(10_000)])(
    'the garbage credential %j',
    async (garbage) => {
      expect(await verifier().verify(garbage)).toBeUndefined();
    },
  );

  it('a token whose kid is still unknown after refetching the JWKS', async () => {
    const stranger = await makeKey('ES256', 'unknown-kid');
    expect(await verifier({ jwksCooldownMs: 0 }).verify(await mint(stranger))).toBeUndefined();
  });
});

describe('makeJwtVerifier scopes', () => {
  it('keep only the scopes the service knows', async () => {
    const token = await mint(ec, { scope: 'openid tasks/admin tasks/read profile' });
    expect((await verifier().verify(token))?.scopes).toEqual(['tasks/read']);
  });

  it('return a read-only scope set as just tasks/read', async () => {
    expect((await verifier().verify(await mint(ec, { scope: 'tasks/read' })))?.scopes).toEqual([
      'tasks/read',
    ]);
  });

  it('are empty when the token has no scope claim', async () => {
    expect((await verifier().verify(await mint(ec, { scope: undefined })))?.scopes).toEqual([]);
  });

  it('match after stripping the configured prefix, ignoring unprefixed ones', async () => {
    const token = await mint(ec, { scope: 'https://api.example/tasks/write tasks/read' });
    const principal = await verifier({ scopePrefix: 'https://api.example/' }).verify(token);
    expect(principal?.scopes).toEqual(['tasks/write']);
  });
});

describe('makeJwtVerifier configuration', () => {
  it('throws AuthorizerUnavailableError when the JWKS endpoint is down', async () => {
    const down = verifier({ jwksUrl: 'http://127.0.0.1:1/.well-known/jwks.json' });
    await expect(down.verify(await mint(ec))).rejects.toBeInstanceOf(AuthorizerUnavailableError);
  });

  it('fails fast when neither audience nor clientIds is configured', () => {
    expect(() => verifier({ audience: undefined, clientIds: undefined })).toThrow(/audience or clientIds/);
  });

  it('fails fast on a plain-http JWKS URL outside loopback', () => {
    expect(() => verifier({ jwksUrl: 'http://keys.example/jwks.json' })).toThrow(/https/);
  });
});
