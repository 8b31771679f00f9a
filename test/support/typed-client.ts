import { createTaskClient, type TaskClient } from 'task-service/client';
import { assertConforms } from './openapi-conformance.js';

/** The package's typed client, with every response it receives checked against the OpenAPI document. */
export function conformingClient(baseUrl: string, token: string): TaskClient {
  const client = createTaskClient({ baseUrl, token });
  client.use({
    async onResponse({ request, response }) {
      const text = await response.clone().text();
      assertConforms(request.method, request.url, {
        status: response.status,
        headers: response.headers,
        text,
      });
      return undefined;
    },
  });
  return client;
}
