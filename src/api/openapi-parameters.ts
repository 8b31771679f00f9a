/** The parameters and request bodies of the OpenAPI document. */
import { ListQueryParamsSchema } from '../domain/list-query.js';
import { PRINCIPAL_ID_PATTERN, PRINCIPAL_ID_RULE } from '../domain/principal-id.js';
import { DOCS_ASSETS } from './docs-page.js';
import { jsonSchemaOf, schemaRef } from './openapi-schemas.js';
import { ENTITY_TAG_LIMITS, ENTITY_TAG_LIST_PATTERN } from './preconditions.js';
import { IDEMPOTENCY_KEY } from './request.js';

type Json = Record<string, unknown>;

const headerParameter = (name: string, description: string, schema: Json) => ({
  name,
  in: 'header',
  required: false,
  description,
  schema,
});

/** The conditional headers' rule, from the pattern and limits the parser itself applies. */
const ENTITY_TAG_LIST = {
  type: 'string',
  maxLength: ENTITY_TAG_LIMITS.maxHeaderLength,
  pattern: ENTITY_TAG_LIST_PATTERN.source,
};
const { maxTags, maxHeaderLength } = ENTITY_TAG_LIMITS;
const TAG_RULE = `At most ${maxTags} ETags within ${maxHeaderLength} characters; a malformed value is a 400.`;

export const CONDITIONAL_HEADERS = {
  ifMatch: headerParameter(
    'If-Match',
    `Go on only while the target is at one of these ETags (strong comparison), or exists (\`*\`); else 412. ${TAG_RULE}`,
    ENTITY_TAG_LIST,
  ),
  ifNoneMatch: headerParameter(
    'If-None-Match',
    `Go on only while the target is at none of these ETags (weak comparison), or does not exist (\`*\`); else 304 on a read, 412 on anything else. ${TAG_RULE}`,
    ENTITY_TAG_LIST,
  ),
  idempotencyKey: headerParameter(
    'Idempotency-Key',
    'Retrying with the same key and body repeats the first answer instead of creating twice (1–255 visible ASCII)',
    { type: 'string', pattern: IDEMPOTENCY_KEY.source },
  ),
};

export const requestBody = (name: 'CreateTask' | 'TaskPatch' | 'MoveTask' | 'ListInput' | 'MemberInput') => ({
  description:
    'JSON, read as UTF-8. `Content-Type` may be absent, `application/json` or `application/*+json` (any case, ' +
    'with parameters); any other value, an empty one included, is a 415.',
  required: true,
  content: { 'application/json': { schema: schemaRef(name) } },
});

/** The list endpoint's query parameters, from the same schema that parses them (its output: `limit` is an integer). */
export function listParameters(): Json[] {
  const schema = jsonSchemaOf(ListQueryParamsSchema, 'output') as { properties: Record<string, Json> };
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

export const LIST_ID_PARAMETER = {
  name: 'listId',
  in: 'path',
  required: true,
  description: "A list's id (a UUID the server assigned), or `@default`: the caller's default list",
  schema: { type: 'string' },
};

export const PRINCIPAL_ID_PARAMETER = {
  name: 'principalId',
  in: 'path',
  required: true,
  description: `A principal's id, as the authorizer establishes it: a token's name, or a JWT's \`sub\` (${PRINCIPAL_ID_RULE})`,
  schema: { type: 'string', pattern: PRINCIPAL_ID_PATTERN.source },
};

/** The query parameters of a page of lists or members: no filter. */
export const listPageParameters = (): Json[] =>
  listParameters().filter((parameter) => parameter.name === 'limit' || parameter.name === 'cursor');

/** The query parameters of `GET /lists`: a page, or with `updatedSince` the lists feed. */
export const listsParameters = (): Json[] =>
  listParameters().filter((parameter) =>
    ['limit', 'cursor', 'updatedSince'].includes(String(parameter.name)),
  );

export const ASSET_PARAMETER = {
  name: 'asset',
  in: 'path',
  required: true,
  description: 'A file of the docs page',
  schema: { type: 'string', enum: Object.keys(DOCS_ASSETS) },
};
