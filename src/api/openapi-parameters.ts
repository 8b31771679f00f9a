/** The parameters and request bodies of the OpenAPI document. */
import { ListQueryParamsSchema } from '../domain/list-query.js';
import { DOCS_ASSETS } from './docs-page.js';
import { jsonSchemaOf, schemaRef } from './openapi-schemas.js';

type Json = Record<string, unknown>;

const headerParameter = (name: string, description: string) => ({
  name,
  in: 'header',
  required: false,
  description,
  schema: { type: 'string' },
});

export const CONDITIONAL_HEADERS = {
  ifMatch: headerParameter(
    'If-Match',
    'Write only while the task is at one of these ETags (or `*`); else 412',
  ),
  ifNoneMatch: headerParameter('If-None-Match', 'Answer 304 while the task is at one of these ETags'),
  idempotencyKey: headerParameter(
    'Idempotency-Key',
    'Retrying with the same key and body repeats the first answer instead of creating twice (1–255 visible ASCII)',
  ),
};

export const requestBody = (name: 'CreateTask' | 'TaskPatch') => ({
  required: true,
  content: { 'application/json': { schema: schemaRef(name) } },
});

/** The list endpoint's query parameters, from the same schema that parses them. */
export function listParameters(): Json[] {
  const schema = jsonSchemaOf(ListQueryParamsSchema, 'input') as { properties: Record<string, Json> };
  return Object.entries(schema.properties).map(([name, { description, ...property }]) => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: property,
  }));
}

export const TASK_ID_PARAMETER = {
  name: 'taskId',
  in: 'path',
  required: true,
  description: 'The task id (a UUID the server assigned)',
  schema: { type: 'string', format: 'uuid' },
};

export const ASSET_PARAMETER = {
  name: 'asset',
  in: 'path',
  required: true,
  description: 'A file of the docs page',
  schema: { type: 'string', enum: Object.keys(DOCS_ASSETS) },
};
