import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The swagger-ui-dist files the docs page needs, served from the package itself (no CDN). */
export const DOCS_ASSETS = Object.freeze({
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} satisfies Record<string, string>);
export type DocsAsset = keyof typeof DOCS_ASSETS;

export const isDocsAsset = (name: string): name is DocsAsset => Object.hasOwn(DOCS_ASSETS, name);

/**
 * Where the assets live: a `swagger-ui/` folder next to the running file (the Lambda bundle ships one),
 * else the installed swagger-ui-dist package (`npm start`, tests).
 */
function assetDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'swagger-ui');
  if (existsSync(join(bundled, 'swagger-ui-bundle.js'))) return bundled;
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const cache = new Map<DocsAsset, string>();

/** Read once per container: the bundle is ~1.5 MB and never changes while the function runs. */
export function readDocsAsset(name: DocsAsset): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(assetDirectory(), name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** The page's one inline script: Swagger UI loading the live document of the stage. */
function bootScript(stagePath: string): string {
  return `
    window.ui = SwaggerUIBundle({
      url: ${JSON.stringify(`${stagePath}/openapi.json`)},
      dom_id: '#swagger-ui',
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis],
      validatorUrl: null, // no call to the public validator: the page works offline
    });
  `;
}

/**
 * The docs page's Content-Security-Policy: its own assets, its one inline script by hash, calls to its own
 * origin only (Try it out), inline styles and data: images as Swagger UI uses them, and no framing
 * (`frame-ancestors 'none'`), since the page runs on the API's origin with a token typed into it.
 */
export function docsPageCsp(stagePath: string): string {
  const hash = createHash('sha256').update(bootScript(stagePath)).digest('base64');
  return [
    "default-src 'none'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The docs page: Swagger UI loading the live document; `stagePath` is e.g. `/dev`. */
export function docsPageHtml(stagePath: string): string {
  const base = `${stagePath}/docs`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Task API reference</title>
  <link rel="icon" href="data:,"><!-- no /favicon.ico request: that path is outside the stage (403) -->
  <link rel="stylesheet" href="${base}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${base}/swagger-ui-bundle.js"></script>
  <script>${bootScript(stagePath)}</script>
</body>
</html>
`;
}
