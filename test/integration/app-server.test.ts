import { connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../../src/local/app-server.js';

/** npm start's app server on its own, without a browser: what it serves and the headers it sends. */
const config = { apiUrl: 'http://127.0.0.1:3999/dev', authMode: 'token' as const };
const logged: string[] = [];
let app: AppServer;

beforeAll(async () => {
  app = await startAppServer({
    host: '127.0.0.1',
    port: 0,
    config,
    corsOrigins: ['https://elsewhere.example'],
    log: (line) => logged.push(line),
  });
}, 120_000);
afterAll(() => app?.close());

describe('the local app server', () => {
  it('serves config.json with the API URL it was given, never cached', async () => {
    const response = await fetch(new URL('/config.json', app.url));
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.json()).toEqual(config);
  });

  it('sends a CSP that lets the page call only itself and the API', async () => {
    const response = await fetch(app.url);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain(
      "connect-src 'self' http://127.0.0.1:3999;",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers the sign-in callback path with the app, and a missing file with 404', async () => {
    const callback = await fetch(new URL('/callback?code=x&state=y', app.url));
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('<div id="app">');
    expect((await fetch(new URL('/assets/missing.js', app.url))).status).toBe(404);
    // The build's stamp is not a file of the app: the path answers with the app, not the hash.
    expect(await (await fetch(new URL('/.source-hash', app.url))).text()).not.toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await fetch(app.url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('warns when the API’s CORS origins would refuse the app', () => {
    expect(logged).toContainEqual(
      expect.stringMatching(/CORS_ALLOWED_ORIGINS does not list the app's origin/),
    );
  });

  it('fails to start on a port in use, so npm start can go on without it', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const { port } = blocker.address() as { port: number };
    await expect(
      startAppServer({ host: '127.0.0.1', port, config, corsOrigins: ['*'], log: () => {} }),
    ).rejects.toThrow(/EADDRINUSE/);
    blocker.close();
  });
});

/** One raw HTTP/1.1 exchange, so the test chooses the Host header (fetch does not let it). */
function rawGet(port: number, path: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.end(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('the local app server on a wildcard address', () => {
  let wildcard: AppServer;
  let port: number;
  beforeAll(async () => {
    wildcard = await startAppServer({ host: '0.0.0.0', port: 0, config, corsOrigins: ['*'], log: () => {} });
    port = Number(new URL(wildcard.url).port);
  });
  afterAll(() => wildcard?.close());

  it('answers 400 to a Host that is not a host name and port, and keeps serving', async () => {
    for (const host of ['a b', '[', 'evil.example/x', 'user@evil.example'])
      expect(await rawGet(port, '/config.json', host), host).toMatch(/^HTTP\/1\.1 400 /);
    const good = await rawGet(port, '/config.json', 'laptop.lan:8080');
    expect(good).toMatch(/^HTTP\/1\.1 200 /);
    expect(good).toContain('"apiUrl":"http://laptop.lan:3999/dev"');
  });
});
