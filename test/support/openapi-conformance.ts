import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { REPO_ROOT } from './local-server.js';

/**
 * Checks a response against the committed OpenAPI document: the status must be documented for the
 * operation, documented required headers present and well-formed, the media type documented, and a JSON
 * body valid against its schema (whose objects refuse undocumented fields).
 */
type Json = Record<string, unknown>;
interface MediaType {
  schema?: Json;
}
interface HeaderObject {
  required?: boolean;
  schema?: Json;
}
interface ResponseObject {
  $ref?: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaType>;
}

const DOCUMENT_ID = 'https://task-service.local/openapi.json';
const document = JSON.parse(readFileSync(join(REPO_ROOT, 'openapi', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: { responses: Record<string, ResponseObject>; schemas: Json };
};
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...document, $id: DOCUMENT_ID });

const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+').replace(/\./g, '\\.')}$`),
}));

function resolveResponse(response: ResponseObject): ResponseObject {
  const name = response.$ref?.split('/').at(-1);
  return name ? (document.components.responses[name] ?? {}) : response;
}

function validate(schema: Json, value: unknown, what: string): void {
  const check = ajv.compile({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...rebase(schema) });
  if (!check(value)) throw new Error(`${what} does not match the document: ${ajv.errorsText(check.errors)}`);
}

/** Local `#/…` references inside the document's schemas point into the registered document. */
function rebase(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/', `"${DOCUMENT_ID}#/`)) as Json;
}

export interface ObservedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export function assertConforms(method: string, url: string, response: ObservedResponse): void {
  const what = `${method} ${url} → ${response.status}`;
  const path = new URL(url).pathname.replace(/^\/[^/]+/, '') || '/';
  const template = templates.find((t) => t.pattern.test(path))?.template;
  const operation = template ? document.paths[template]?.[method.toLowerCase()] : undefined;
  if (!operation) {
    // API Gateway answers any unknown path or method with 403 Missing Authentication Token.
    if (response.status !== 403) throw new Error(`${what}: no documented operation, yet not a 403`);
    validate({ $ref: '#/components/schemas/GatewayError' }, JSON.parse(response.text), what);
    return;
  }
  const documented = operation.responses[String(response.status)];
  if (!documented) throw new Error(`${what}: status ${response.status} is not documented`);
  const spec = resolveResponse(documented);
  for (const [name, header] of Object.entries(spec.headers ?? {})) {
    const value = response.headers.get(name);
    if (value === null) {
      if (header.required) throw new Error(`${what}: documented header ${name} is missing`);
    } else if (header.schema) validate(header.schema, value, `${what}: header ${name}`);
  }
  if (response.text === '' || method === 'HEAD') {
    if (spec.content && response.status !== 204) throw new Error(`${what}: documented a body, got none`);
    return;
  }
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  const media = spec.content?.[mediaType];
  if (!media) throw new Error(`${what}: media type ${mediaType || '(none)'} is not documented`);
  if (media.schema && mediaType.endsWith('json'))
    validate(media.schema, JSON.parse(response.text), `${what}: body`);
}
