/**
 * `npm start` serves the web app too, on its own origin (APP_PORT), so the browser calls the API across
 * origins exactly as it does on AWS. The built files are few and small: they are read into memory once and
 * looked up by exact path (no path ever reaches the file system), which is why this is a dozen lines of
 * node:http rather than a static-file dependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, sep } from 'node:path';
import { isHostHeader } from '../api/request.js';
import { type AppConfig, contentSecurityPolicy, originOf, REFERRER_POLICY } from '../web-app/app-config.js';
import { ensureAppBuild } from '../web-app/build.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

function readBuild(dist: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const entry of readdirSync(dist, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const path = join(entry.parentPath, entry.name);
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    files.set(`/${relative(dist, path).split(sep).join('/')}`, { body: readFileSync(path), type });
  }
  return files;
}

export interface AppServerOptions {
  readonly host: string;
  readonly port: number;
  /** What config.json says; `apiUrl` is rewritten to the host the browser used when HOST is a wildcard. */
  readonly config: AppConfig;
  /** The API's CORS_ALLOWED_ORIGINS: a warning is logged when they would refuse the app. */
  readonly corsOrigins: readonly string[];
  readonly log: (line: string) => void;
}

export interface AppServer {
  readonly url: string;
  close(): Promise<void>;
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const files = readBuild(await ensureAppBuild(options.log));
  const configFor = (req: IncomingMessage): AppConfig => {
    if (!WILDCARD.has(options.host) || !req.headers.host) return options.config;
    const apiUrl = new URL(options.config.apiUrl);
    apiUrl.hostname = new URL(`http://${req.headers.host}`).hostname;
    return { ...options.config, apiUrl: apiUrl.toString().replace(/\/$/, '') };
  };
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    // The Host is reflected into config.json on a wildcard address: only a host name and port may be.
    if (req.headers.host !== undefined && !isHostHeader(req.headers.host)) {
      res.writeHead(400, { 'Content-Type': TYPES['.txt'], 'X-Content-Type-Options': 'nosniff' });
      res.end('Bad Request: the Host header must be a host name or address and an optional port');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    const config = configFor(req);
    const login = config.login ? [originOf(config.login.domain)] : [];
    res.setHeader('Content-Security-Policy', contentSecurityPolicy([originOf(config.apiUrl), ...login]));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', REFERRER_POLICY);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.json') {
      res.writeHead(200, { 'Content-Type': TYPES['.json'], 'Cache-Control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(config));
      return;
    }
    // A path without an extension is a page of the app (the sign-in callback): the app decides what it shows.
    const file = files.get(path) ?? (extname(path) === '' ? files.get('/index.html') : undefined);
    if (!file) {
      res.writeHead(404, { 'Content-Type': TYPES['.txt'] }).end('Not found');
      return;
    }
    const immutable = path.startsWith('/assets/'); // Vite names these by content hash
    res.writeHead(200, {
      'Content-Type': file.type,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };
  // One request's failure is that request's 500, never the process's end (npm start serves the API too).
  const server = createServer((req, res) => {
    try {
      serve(req, res);
    } catch (error) {
      options.log(`App: ${req.method} ${req.url} failed: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': TYPES['.txt'] });
      res.end('Internal error');
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, done);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/`;
  const warning = corsWarning(options.corsOrigins, url);
  if (warning) options.log(warning);
  return {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Says so when the API's CORS settings would refuse the app's origin. */
function corsWarning(corsOrigins: readonly string[], appUrl: string): string | undefined {
  const origin = originOf(appUrl);
  if (corsOrigins.includes('*') || corsOrigins.includes(origin)) return undefined;
  return `CORS_ALLOWED_ORIGINS does not list the app's origin ${origin}: the app cannot call the API.`;
}
