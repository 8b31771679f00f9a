import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeJwtVerifier } from '../auth/jwt.js';
import { type LocalIssuer, mintWithStoredKey, startLocalIssuer } from './issuer.js';

let dataDir: string;
const running: LocalIssuer[] = [];

async function start(): Promise<LocalIssuer> {
  const issuer = await startLocalIssuer({ dataDir });
  running.push(issuer);
  return issuer;
}

function verifierFor(issuer: LocalIssuer) {
  return makeJwtVerifier({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    audience: issuer.audience,
    requireTokenUse: 'access',
  });
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'issuer-test-'));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((issuer) => issuer.close()));
  await rm(dataDir, { recursive: true, force: true });
});

describe('startLocalIssuer', () => {
  it('mints tokens that the JWT verifier accepts against its JWKS', async () => {
    const issuer = await start();
    const token = await issuer.mint({ sub: 'alice', scope: 'tasks/read' });
    const principal = await verifierFor(issuer).verify(`Bearer ${token}`);
    expect(principal).toEqual({
      principalId: 'alice',
      scopes: ['tasks/read'],
      authMode: 'jwt',
      expiresAt: expect.any(Number),
    });
  });

  it('keeps its key across a restart, so tokens minted before still verify', async () => {
    const first = await start();
    const token = await first.mint({ sub: 'alice', scope: 'tasks/write' });
    await first.close();
    const second = await start();
    const jwks = (await (await fetch(second.jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys[0]?.kid).toBe(decodeProtectedHeader(token).kid);
    expect(await verifierFor(second).verify(token)).toEqual({
      principalId: 'alice',
      scopes: ['tasks/write'],
      authMode: 'jwt',
      expiresAt: expect.any(Number),
    });
  });

  it('signs with the algorithm docs/operate.md names', async () => {
    const token = await (await start()).mint({ sub: 'alice', scope: 'tasks/read' });
    const operate = await readFile(new URL('../../docs/operate.md', import.meta.url), 'utf8');
    expect(operate).toContain(`verifying its ${decodeProtectedHeader(token).alg} access tokens`);
  });

  it('serves only the public members of its key', async () => {
    const issuer = await start();
    const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(Object.keys(jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it.skipIf(process.platform === 'win32')('stores the private key readable by its owner only', async () => {
    await start();
    const { mode } = await stat(join(dataDir, 'issuer', 'signing-key.json'));
    expect(mode & 0o777).toBe(0o600);
  });

  it('publishes its issuer and jwks_uri as an openid configuration', async () => {
    const issuer = await start();
    const url = new URL('/.well-known/openid-configuration', issuer.jwksUrl);
    const config = (await (await fetch(url)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ issuer: 'urn:task-service:local-issuer', jwks_uri: issuer.jwksUrl });
  });

  it('answers 404 for any other path', async () => {
    const issuer = await start();
    expect((await fetch(new URL('/token', issuer.jwksUrl))).status).toBe(404);
  });
});

describe('mintWithStoredKey', () => {
  it('signs with the key the running issuer serves', async () => {
    const issuer = await start();
    const token = await mintWithStoredKey({ dataDir, sub: 'bob', scope: 'tasks/read tasks/write' });
    expect((await verifierFor(issuer).verify(token))?.principalId).toBe('bob');
  });

  it('creates a single key when two callers race to create it', async () => {
    const tokens = await Promise.all(
      [1, 2, 3].map(() => mintWithStoredKey({ dataDir, sub: 'bob', scope: '' })),
    );
    expect(new Set(tokens.map((token) => decodeProtectedHeader(token).kid)).size).toBe(1);
  });

  it('refuses a non-positive lifetime', async () => {
    await expect(mintWithStoredKey({ dataDir, sub: 'bob', scope: '', expiresInSeconds: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('the token script', () => {
  const run = promisify(execFile);

  it('prints only a token that the running issuer vouches for', async () => {
    const issuer = await start();
    const args = ['--import', 'tsx', 'scripts/token.ts', '--sub', 'carol', '--scope', 'tasks/read'];
    const { stdout } = await run(process.execPath, args, { env: { ...process.env, DATA_DIR: dataDir } });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await verifierFor(issuer).verify(stdout.trim())).toMatchObject({ principalId: 'carol' });
  });

  it('exits 1 with a message when --sub is missing', async () => {
    const failure = run(process.execPath, ['--import', 'tsx', 'scripts/token.ts'], {
      env: { ...process.env, DATA_DIR: dataDir },
    });
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--sub is required'),
    });
  });
});
