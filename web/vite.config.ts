import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';
import type { AppConfig } from '../src/web-app/app-config.js';

/**
 * `npm run dev:web`: Vite's dev server with hot reload, in front of a running `npm start`. It serves the
 * app's sources and forwards the rest to npm start: `config.json` comes from its app server, with the API
 * URL pointed at the dev server itself, which proxies the API's stage path to npm start's API (one origin,
 * so CORS settings do not matter). `DEV_APP_URL` and `DEV_API_URL` say where npm start listens.
 */
const APP_URL = process.env.DEV_APP_URL ?? 'http://127.0.0.1:8080';
const API_URL = new URL(process.env.DEV_API_URL ?? 'http://127.0.0.1:3000/dev');

/** npm start's config.json, with the API reached through the dev server's own origin. */
export function devConfigOf(config: AppConfig, devOrigin: string, apiUrl: URL = API_URL): AppConfig {
  return { ...config, apiUrl: `${devOrigin}${apiUrl.pathname.replace(/\/$/, '')}` };
}

function devConfigJson(): Plugin {
  return {
    name: 'task-board-dev-config',
    configureServer(server) {
      server.middlewares.use('/config.json', (req, res) => {
        fetch(new URL('/config.json', APP_URL))
          .then(async (upstream) => {
            if (!upstream.ok) throw new Error(`${APP_URL}/config.json answered ${upstream.status}`);
            const origin = `http://${req.headers.host ?? 'localhost'}`;
            res.setHeader('Content-Type', 'application/json');
            res.setHeader('Cache-Control', 'no-cache');
            res.end(JSON.stringify(devConfigOf((await upstream.json()) as AppConfig, origin)));
          })
          .catch((error: Error) => {
            res.statusCode = 502;
            res.end(`Is npm start running? ${error.message}`);
          });
      });
    },
  };
}

/** The web app's build: `web/` is the root, the output goes where the caller says (npm start, CDK asset). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [preact({ devToolsEnabled: false }), devConfigJson()],
  // No sourcemaps or inline scripts: the CSP allows only 'self', and the bundle stays what is measured.
  build: { target: 'es2022', modulePreload: { polyfill: false }, reportCompressedSize: false },
  server: {
    host: '127.0.0.1',
    proxy: { [API_URL.pathname]: { target: API_URL.origin, changeOrigin: false } },
  },
});
