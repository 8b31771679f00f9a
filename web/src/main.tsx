import { render } from 'preact';
import type { AppConfig } from '../../src/web-app/app-config.js';
import { App } from './app.js';
import './styles.css';

/** config.json is served beside the app (by `npm start`, or deployed by the stack): one build, any stage. */
async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  const config = (await response.json()) as AppConfig;
  if (typeof config.apiUrl !== 'string' || !['token', 'jwt'].includes(config.authMode))
    throw new Error('config.json lacks apiUrl or authMode');
  return config;
}

const root = document.getElementById('app') as HTMLElement;
loadConfig().then(
  (config) => render(<App config={config} />, root),
  (error: Error) => {
    root.textContent = `The app could not start: ${error.message}`;
  },
);
