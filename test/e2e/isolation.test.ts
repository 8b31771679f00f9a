// Long on purpose (~340 lines): the three parts share one server per auth mode; a file per part would start more servers.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { base64url, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_CLIENT_ID, LOCAL_ISSUER, mintWithStoredKey } from '../../src/local/issuer.js';
import { call, nextLink } from '../support/http.js';
import {
  accessLogEntry,
  type LocalServer,
  REPO_ROOT,
  randomToken,
  startLocalServer,
} from '../support/local-server.js';

/** Two principals, in both auth modes; scopes and bad tokens in jwt mode. */
interface Tenants {
  server: LocalServer;
  alice: () => Promise<string>;
  bob: () => Promise<string>;
}

const run = promisify(execFile);
const FULL = 'tasks/read tasks/write';
const servers: LocalServer[] = [];
let tokenMode: Tenants;
let jwtMode: Tenants;

async function startTokenMode(): Promise<Tenants> {
  const tokens = { alice: randomToken(), bob: randomToken() };
  const server = await startLocalServer({ env: { API_TOKENS: JSON.stringify(tokens) } });
  servers.push(server);
  return { server, alice: async () => tokens.alice, bob: async () => `Bearer ${tokens.bob}` };
}

async function startJwtMode(): Promise<Tenants> {
  const server = await startLocalServer({ env: { AUTH_MODE: 'jwt' } });
  servers.push(server);
  const mint = (sub: string) => async () =>
    `Bearer ${await mintWithStoredKey({ dataDir: server.dataDir, sub, scope: FULL })}`;
  return { server, alice: mint('alice'), bob: mint('bob') };
}

beforeAll(async () => {
  [tokenMode, jwtMode] = await Promise.all([startTokenMode(), startJwtMode()]);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.destroy()));
});

const modes = [
  { mode: 'token', tenants: () => tokenMode },
  { mode: 'jwt', tenants: () => jwtMode },
];

describe.each(modes)('in $mode mode, tenant isolation', ({ tenants }) => {
  let t: Tenants;
  let aliceToken: string;
  let bobToken: string;
  let aliceTask: { taskId: string; title: string; version: number };
  const url = (path: string) => `${t.server.baseUrl}${path}`;

  beforeAll(async () => {
    t = tenants();
    [aliceToken, bobToken] = await Promise.all([t.alice(), t.bob()]);
    const created = await call(url('/tasks'), 'POST', {
      token: aliceToken,
      body: { title: "alice's secret" },
    });
    aliceTask = created.json;
  });

  it.each([
    ['GET', undefined],
    ['PUT', { status: 'DONE' }],
    ['PATCH', { title: 'mine now' }],
    ['DELETE', undefined],
  ])("answers 404 Task not found, never 403, when bob calls %s on alice's task", async (method, body) => {
    const reply = await call(url(`/tasks/${aliceTask.taskId}`), method, { token: bobToken, body });
    expect(reply.status).toBe(404);
    expect(reply.json.message).toBe('Task not found');
  });

  it("leaves alice's task untouched after bob's attempts", async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE'])
      await call(url(`/tasks/${aliceTask.taskId}`), method, { token: bobToken, body: { status: 'DONE' } });
    const reply = await call(url(`/tasks/${aliceTask.taskId}`), 'GET', { token: aliceToken });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ title: "alice's secret", status: 'PENDING', version: 1 });
  });

  it("never lists alice's tasks to bob", async () => {
    const bobs = await call(url('/tasks'), 'POST', { token: bobToken, body: { title: "bob's" } });
    const reply = await call(url('/tasks?limit=100'), 'GET', { token: bobToken });
    expect(reply.json.map((task: { taskId: string }) => task.taskId)).toEqual([bobs.json.taskId]);
  });

  it("refuses alice's cursor when bob presents it, with 400 Invalid cursor", async () => {
    await call(url('/tasks'), 'POST', { token: aliceToken, body: { title: 'second' } });
    const first = await call(url('/tasks?limit=1'), 'GET', { token: aliceToken });
    const next = nextLink(first.headers);
    expect(next).toMatch(/\/dev\/tasks\?limit=1&cursor=[^&]+$/);
    const reply = await call(next ?? '', 'GET', { token: bobToken });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toBe('Invalid cursor');
  });

  it('ignores ownerId, taskId, createdAt and version in a create body', async () => {
    const forged = {
      title: 'forged',
      ownerId: 'bob',
      taskId: '0190a8a4-0000-7000-8000-000000000001',
      createdAt: '2000-01-01T00:00:00.000Z',
      version: 42,
    };
    const created = await call(url('/tasks'), 'POST', { token: aliceToken, body: forged });
    expect(created.status).toBe(201);
    expect(created.json.taskId).not.toBe(forged.taskId);
    expect(created.json.createdAt).not.toBe(forged.createdAt);
    expect(created.json.version).toBe(1);
    expect(created.json).not.toHaveProperty('ownerId');
    const asBob = await call(url(`/tasks/${created.json.taskId}`), 'GET', { token: bobToken });
    expect(asBob.status).toBe(404);
  });

  it('ignores ownerId, taskId, createdAt and version in an update body', async () => {
    const created = await call(url('/tasks'), 'POST', { token: aliceToken, body: { title: 'to update' } });
    const forged = {
      status: 'DONE',
      ownerId: 'bob',
      taskId: '0190a8a4-0000-7000-8000-000000000002',
      createdAt: '2000-01-01T00:00:00.000Z',
      version: 42,
    };
    const updated = await call(url(`/tasks/${created.json.taskId}`), 'PATCH', {
      token: aliceToken,
      body: forged,
    });
    expect(updated.json).toMatchObject({
      taskId: created.json.taskId,
      createdAt: created.json.createdAt,
      status: 'DONE',
      version: 2,
    });
    const asBob = await call(url(`/tasks/${created.json.taskId}`), 'GET', { token: bobToken });
    expect(asBob.status).toBe(404);
  });
});

describe('in jwt mode, scopes', () => {
  const url = (path: string) => `${jwtMode.server.baseUrl}${path}`;
  // Every call gets a freshly minted token (a new jti), so each test starts with a cold authorizer cache.
  const token = async (scope: string, sub = 'carol') =>
    `Bearer ${await mintWithStoredKey({ dataDir: jwtMode.server.dataDir, sub, scope })}`;
  const NOT_AUTHORIZED = {
    message: 'User is not authorized to access this resource',
    Message: 'User is not authorized to access this resource',
  };
  let carolTaskId: string;

  beforeAll(async () => {
    const created = await call(url('/tasks'), 'POST', { token: await token(FULL), body: { title: 'c' } });
    carolTaskId = created.json.taskId;
  });

  async function cacheOf(reply: { headers: Headers }): Promise<unknown> {
    return (await accessLogEntry(jwtMode.server, reply.headers.get('x-amzn-requestid')))?.authorizerCache;
  }

  it('gives a read-only token 200 on every GET route', async () => {
    const readOnly = await token('tasks/read');
    const list = await call(url('/tasks'), 'GET', { token: readOnly });
    const one = await call(url(`/tasks/${carolTaskId}`), 'GET', { token: readOnly });
    expect([list.status, one.status]).toEqual([200, 200]);
  });

  it.each([
    ['POST', '/tasks'],
    ['PUT', '/tasks/{id}'],
    ['PATCH', '/tasks/{id}'],
    ['DELETE', '/tasks/{id}'],
  ])('gives a read-only token 403 on %s %s', async (method, path) => {
    const reply = await call(url(path.replace('{id}', carolTaskId)), method, {
      token: await token('tasks/read'),
      body: { title: 'x', status: 'DONE' },
    });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual(NOT_AUTHORIZED);
  });

  it('keeps refusing a write when the read-only token was cached by a GET first', async () => {
    const readOnly = await token('tasks/read');
    const read = await call(url('/tasks'), 'GET', { token: readOnly });
    const write = await call(url('/tasks'), 'POST', { token: readOnly, body: { title: 'x' } });
    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
    expect(write.json).toEqual(NOT_AUTHORIZED);
    expect(await cacheOf(write)).toBe('hit');
  });

  it('keeps allowing a read when the read-only token was cached by a refused POST first', async () => {
    const readOnly = await token('tasks/read');
    const write = await call(url('/tasks'), 'POST', { token: readOnly, body: { title: 'x' } });
    const read = await call(url(`/tasks/${carolTaskId}`), 'GET', { token: readOnly });
    expect(write.status).toBe(403);
    expect(read.status).toBe(200);
    expect(await cacheOf(read)).toBe('hit');
  });

  it('gives a full-scope token cached by a GET access to writes too', async () => {
    const full = await token(FULL);
    await call(url('/tasks'), 'GET', { token: full });
    const write = await call(url(`/tasks/${carolTaskId}`), 'PATCH', {
      token: full,
      body: { status: 'DONE' },
    });
    expect(write.status).toBe(200);
    expect(await cacheOf(write)).toBe('hit');
  });

  it('gives a write-only token 403 on reads', async () => {
    const reply = await call(url('/tasks'), 'GET', { token: await token('tasks/write') });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual(NOT_AUTHORIZED);
  });

  it('accepts a token minted by `npm run -s token` against the same DATA_DIR', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/token.ts', '--sub', 'dave'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: jwtMode.server.dataDir },
    });
    const reply = await call(url('/tasks'), 'GET', { token: `Bearer ${stdout.trim()}` });
    expect(reply.status).toBe(200);
  });

  it('answers an explicit deny to a token without any tasks scope', async () => {
    const reply = await call(url('/tasks'), 'GET', { token: await token('openid profile') });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({
      message: 'User is not authorized to access this resource with an explicit deny',
      Message: 'User is not authorized to access this resource with an explicit deny',
    });
  });
});

describe('in jwt mode, a bad token is a 401', () => {
  const url = (path: string) => `${jwtMode.server.baseUrl}${path}`;
  const now = () => Math.floor(Date.now() / 1000);
  let storedKey: JWK & { kid: string };

  beforeAll(async () => {
    const file = join(jwtMode.server.dataDir, 'issuer', 'signing-key.json');
    storedKey = JSON.parse(await readFile(file, 'utf8'));
  });

  const claims = (extra: JWTPayload = {}): JWTPayload => ({
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    sub: 'mallory',
    client_id: LOCAL_CLIENT_ID,
    token_use: 'access',
    scope: FULL,
    iat: now(),
    exp: now() + 300,
    ...extra,
  });

  async function signWithStoredKey(payload: JWTPayload): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: storedKey.kid })
      .sign(await importJWK(storedKey, 'ES256'));
  }

  async function expect401(token: string) {
    const reply = await call(url('/tasks'), 'GET', { token: `Bearer ${token}` });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ message: 'Unauthorized' });
  }

  it('accepts a well-formed token signed by the stored key (control)', async () => {
    const reply = await call(url('/tasks'), 'GET', { token: `Bearer ${await signWithStoredKey(claims())}` });
    expect(reply.status).toBe(200);
  });

  it('refuses an ID token (token_use id), as Cognito’s are refused in the cloud', async () => {
    await expect401(await signWithStoredKey(claims({ token_use: 'id' })));
  });

  it('refuses a token without token_use, or for an app client it does not know', async () => {
    await expect401(await signWithStoredKey(claims({ token_use: undefined })));
    await expect401(await signWithStoredKey(claims({ client_id: 'another-app' })));
  });

  it('refuses a token whose typ is not an access token’s', async () => {
    const token = new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: storedKey.kid, typ: 'JWT' });
    await expect401(await token.sign(await importJWK(storedKey, 'ES256')));
  });

  it('refuses an expired token', async () => {
    await expect401(await signWithStoredKey(claims({ iat: now() - 600, exp: now() - 120 })));
  });

  it('refuses a token that is not yet valid', async () => {
    await expect401(await signWithStoredKey(claims({ nbf: now() + 600 })));
  });

  it('refuses a token signed by another key under the same kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'ES256', kid: storedKey.kid })
      .sign(privateKey);
    await expect401(token);
  });

  it('refuses a token with alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify(claims()));
    await expect401(`${header}.${payload}.`);
  });

  it('refuses a token for another audience', async () => {
    await expect401(await signWithStoredKey(claims({ aud: 'another-service' })));
  });

  it('refuses a token from another issuer', async () => {
    await expect401(await signWithStoredKey(claims({ iss: 'https://evil.example' })));
  });

  it('refuses a token with an altered payload', async () => {
    const [header, , signature] = (await signWithStoredKey(claims())).split('.');
    const payload = base64url.encode(JSON.stringify(claims({ sub: 'alice' })));
    await expect401(`${header}.${payload}.${signature}`);
  });

  it('refuses a malformed token', async () => {
    await expect401('not-a-jwt');
  });

  it('refuses a static token in jwt mode', async () => {
    const reply = await call(url('/tasks'), 'GET', { token: randomToken() });
    expect(reply.status).toBe(401);
  });

  it('refuses a token signed with an RSA key the JWKS does not hold', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: 'other' })
      .sign(privateKey);
    await expect401(token);
  });
});
