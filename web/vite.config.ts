import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The web app's build: `web/` is the root, the output goes where the caller says (npm start, CDK asset). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // No sourcemaps or inline scripts: the CSP allows only 'self', and the bundle stays what is measured.
  build: { target: 'es2022', modulePreload: { polyfill: false }, reportCompressedSize: false },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
