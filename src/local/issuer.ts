import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { SCOPES } from '../auth/principal.js';

// Fixed identifiers rather than the base URL: the port may change between restarts, and tokens minted
// earlier (by `npm run token`) should stay valid.
export const LOCAL_ISSUER = 'urn:task-service:local-issuer';
export const LOCAL_AUDIENCE = 'task-service';
export const LOCAL_CLIENT_ID = 'local-cli';
const ALG = 'ES256';
const DEFAULT_EXPIRES_IN_SECONDS = 3600;

export interface MintOptions {
  readonly sub: string;
  readonly scope: string;
  readonly expiresInSeconds?: number;
  readonly clientId?: string;
}

export interface LocalIssuer {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audience: string;
  mint(options: MintOptions): Promise<string>;
  close(): Promise<void>;
}

type StoredKey = JWK & { readonly kid: string };

/** Serves the JWKS of a key kept in `${dataDir}/issuer/` on loopback, and mints access tokens with it. */
export async function startLocalIssuer({
  dataDir,
  host = '127.0.0.1',
  port = 0,
}: {
  dataDir: string;
  host?: string;
  port?: number;
}): Promise<LocalIssuer> {
  const key = await loadOrCreateKey(dataDir);
  const documents = new Map<string, unknown>();
  const server = createServer((req, res) => answer(req, res, documents));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = server.address() as AddressInfo;
  const hostname = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  const jwksUrl = `http://${hostname}:${bound.port}/.well-known/jwks.json`;
  documents.set('/.well-known/jwks.json', { keys: [publicPart(key)] });
  documents.set('/.well-known/openid-configuration', {
    issuer: LOCAL_ISSUER,
    jwks_uri: jwksUrl,
    scopes_supported: SCOPES,
  });
  let closing: Promise<void> | undefined;
  return {
    issuer: LOCAL_ISSUER,
    jwksUrl,
    audience: LOCAL_AUDIENCE,
    mint: (mintOptions) => signAccessToken(key, mintOptions),
    // Idempotent, so a shutdown path and a test teardown may both call it.
    close: () => (closing ??= closeServer(server)),
  };
}

/** Signs with the stored key directly, so the token CLI works whether or not the server runs. */
export async function mintWithStoredKey(
  options: MintOptions & { readonly dataDir: string },
): Promise<string> {
  return signAccessToken(await loadOrCreateKey(options.dataDir), options);
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // fetch keeps connections alive; without this, close waits for them to time out.
    server.closeAllConnections();
  });
}

function answer(req: IncomingMessage, res: ServerResponse, documents: ReadonlyMap<string, unknown>): void {
  const document = documents.get(new URL(req.url ?? '/', 'http://local').pathname);
  const status = req.method !== 'GET' ? 405 : document === undefined ? 404 : 200;
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(
    JSON.stringify(
      status === 200 ? document : { message: status === 405 ? 'Method not allowed' : 'Not found' },
    ),
  );
}

async function signAccessToken(key: StoredKey, options: MintOptions): Promise<string> {
  const expiresIn = options.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS;
  if (options.sub.length === 0 || options.sub.length > 128)
    throw new RangeError('sub must be 1 to 128 characters');
  if (!Number.isInteger(expiresIn) || expiresIn <= 0)
    throw new RangeError('expiresInSeconds must be a positive integer');
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({
    scope: options.scope,
    client_id: options.clientId ?? LOCAL_CLIENT_ID,
    token_use: 'access',
  })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(options.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + expiresIn)
    .setJti(randomUUID())
    .sign(key);
}

// Only the public members, listed explicitly, so the private scalar `d` can never be served.
function publicPart({ kty, crv, x, y, kid }: StoredKey): JWK {
  return { kty, crv, x, y, kid, alg: ALG, use: 'sig' };
}

async function loadOrCreateKey(dataDir: string): Promise<StoredKey> {
  const file = join(dataDir, 'issuer', 'signing-key.json');
  return (await readKey(file)) ?? (await createKey(file));
}

async function readKey(file: string): Promise<StoredKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const jwk = JSON.parse(text) as Partial<StoredKey>;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d || !jwk.kid) {
    throw new Error(`${file} is not an ES256 private key; delete it to generate a new one`);
  }
  return jwk as StoredKey;
}

async function createKey(file: string): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const key: StoredKey = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ALG, use: 'sig' };
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  // Write aside, then link: the key appears whole or not at all, and if the server and the CLI race to
  // create it, the loser adopts the winner's key instead of overwriting it.
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(temp, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readKey(file)) as StoredKey;
  } finally {
    await unlink(temp);
  }
}
