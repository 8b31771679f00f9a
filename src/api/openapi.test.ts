import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_DOCS_PATH, CLIENT_TYPES_PATH, DOCUMENT_PATH, renderArtifacts } from '../../scripts/openapi.js';
import { LIST_SORTS } from '../domain/list-query.js';
import { TASK_LIMITS, TASK_PRIORITIES, TASK_STATUSES } from '../domain/task.js';
import { ERROR_CATALOGUE } from './error-catalogue.js';
import { buildOpenApiDocument } from './openapi.js';
import { ROUTES } from './routes.js';

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document
const doc = buildOpenApiDocument() as any;

describe('the OpenAPI document', () => {
  it('is committed as generated: `npm run openapi` leaves openapi/, the client types and the docs error tables unchanged', async () => {
    const artifacts = await renderArtifacts();
    for (const path of [DOCUMENT_PATH, CLIENT_TYPES_PATH, API_DOCS_PATH]) {
      expect(readFileSync(path, 'utf8'), `${path} is stale: run npm run openapi`).toBe(artifacts[path]);
    }
  });

  it('has an operation for every route of the route table, and an OPTIONS preflight per path', () => {
    for (const route of ROUTES) {
      expect(
        doc.paths[route.resource]?.[route.method.toLowerCase()]?.operationId,
        `${route.method} ${route.resource}`,
      ).toBe(
        (route.method === 'PATCH' && route.operationId === 'updateTask' ? 'patchTask' : route.operationId) +
          (route.resource.startsWith('/lists/{listId}/tasks') ? 'InList' : ''),
      );
      expect(doc.paths[route.resource].options.security).toEqual([]);
    }
  });

  it('documents the gateway 401, 403, 413 and 429 on every authorized operation, and no auth on public ones', () => {
    for (const route of ROUTES) {
      const operation = doc.paths[route.resource][route.method.toLowerCase()];
      if (route.public) expect(operation.security).toEqual([]);
      else
        expect(Object.keys(operation.responses)).toEqual(
          expect.arrayContaining(['401', '403', '413', '429']),
        );
    }
  });

  it("documents each catalogue error on the operations that answer it, with the row's problem type and headers", () => {
    for (const entry of ERROR_CATALOGUE) {
      for (const operationId of entry.operations) {
        const route = ROUTES.find((r) => r.operationId === operationId);
        const ref = doc.paths[route?.resource ?? ''][route?.method.toLowerCase() ?? ''].responses[
          String(entry.status)
        ]?.$ref as string;
        expect(ref, `${entry.error.name} on ${operationId}`).toMatch(/^#\/components\/responses\//);
        const response = doc.components.responses[ref.split('/').pop() ?? ''];
        expect(response.content).toHaveProperty(['application/problem+json']);
        expect(response.description).toContain(entry.description);
        // A status API Gateway answers too (its stage 429 has no Retry-After) lists them, requiring none; so
        // does a status another row answers without the header (a 409 for the default list).
        const lambdaOnly = !('application/json' in response.content);
        const sameStatus = ERROR_CATALOGUE.filter((other) => other.status === entry.status);
        for (const [name, header] of Object.entries(entry.headers ?? {})) {
          const everyRow = sameStatus.every((other) => Object.hasOwn(other.headers ?? {}, name));
          expect(response.headers[name]?.required, name).toBe(
            lambdaOnly && everyRow ? !header.optional : false,
          );
        }
      }
    }
  });

  it('takes its enums and limits from the zod schemas', () => {
    const task = doc.components.schemas.Task;
    expect(task.properties.status.enum).toEqual([...TASK_STATUSES]);
    expect(task.properties.priority.enum).toEqual([...TASK_PRIORITIES]);
    expect(task.additionalProperties).toBe(false);
    expect(doc.components.schemas.CreateTask.properties.title.maxLength).toBe(TASK_LIMITS.titleMaxLength);
    expect(doc.components.schemas.CreateTask.properties.tags.maxItems).toBe(TASK_LIMITS.maxTags);
    const sort = doc.paths['/tasks'].get.parameters.find((p: { name: string }) => p.name === 'sort');
    expect(sort.schema.enum).toEqual([...LIST_SORTS]);
  });

  it('declares the Authorization header security scheme and uses it by default', () => {
    expect(doc.components.securitySchemes.tokenAuth).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
    });
    expect(doc.security).toEqual([{ tokenAuth: [] }]);
  });
});
