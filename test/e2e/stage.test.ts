import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawCall } from '../support/http.js';
import { REPO_ROOT } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

// npm start on another stage than the default, as `STAGE=prod npm start` runs it.
const server = useLocalServer({ env: { STAGE: 'prod' } });
describe('npm start with STAGE=prod', () => {
  it('serves the API under /prod, and nothing under /dev', async () => {
    expect(new URL(server.baseUrl).pathname).toBe('/prod');
    expect((await rawCall(`${server.baseUrl}/tasks`, 'GET', { token: server.token })).status).toBe(200);
    const dev = await rawCall(server.baseUrl.replace(/\/prod$/, '/dev/tasks'), 'GET', {
      token: server.token,
    });
    expect(dev.status).toBe(403);
  });

  it('serves the OpenAPI document with /prod as the server "Try it out" calls', async () => {
    const reply = await rawCall(`${server.baseUrl}/openapi.json`, 'GET');
    expect(reply.status).toBe(200);
    expect(reply.json.servers[0].url).toBe('/prod');
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, 'openapi', 'openapi.json'), 'utf8'));
    expect(reply.json.paths).toEqual(committed.paths);
  });

  it('points its docs page at the document on /prod', async () => {
    const page = await rawCall(`${server.baseUrl}/docs`, 'GET');
    expect(page.text).toContain('"/prod/openapi.json"');
  });
});
