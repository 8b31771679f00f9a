/**
 * The responses of the OpenAPI document. Error responses are built from the error catalogue (what the task
 * Lambda answers) and the gateway responses (what API Gateway answers itself): one component per status.
 */
import { STATUS_CODES } from 'node:http';
import { CORS_EXPOSE_HEADERS } from './cors.js';
import { ERROR_CATALOGUE, type ErrorEntry, UNEXPECTED_ERROR } from './error-catalogue.js';
import { GATEWAY_RESPONSES, type GatewayResponse } from './gateway-responses.js';
import { EXAMPLE_TASK, EXAMPLE_TOMBSTONE, schemaRef } from './openapi-schemas.js';
import { API_RESPONSE_HEADERS } from './response-headers.js';
import type { OperationId } from './routes.js';

type Json = Record<string, unknown>;

const header = (description: string, required = false, schema: Json = { type: 'string' }) => ({
  description,
  required,
  schema,
});

/** Headers on every response (CORS and request ids). Allow-Origin is absent for an origin not allowed. */
const COMMON_HEADERS = {
  'Access-Control-Allow-Origin': header(
    "`*`, or the caller's origin when CORS_ALLOWED_ORIGINS lists it; on API Gateway's own errors, the one " +
      "listed origin, or with several any caller's origin (a gateway response cannot choose from a list)",
  ),
  'Access-Control-Expose-Headers': header(`Always \`${CORS_EXPOSE_HEADERS.join(', ')}\``, true),
  'x-amzn-RequestId': header("API Gateway's request id", true),
};
/** On every response of the task function and of API Gateway's own errors (not on a preflight). */
const API_HEADERS = Object.fromEntries(
  Object.entries(API_RESPONSE_HEADERS).map(([name, value]) => [name, header(`Always \`${value}\``)]),
);
const LAMBDA_HEADERS = {
  ...COMMON_HEADERS,
  ...API_HEADERS,
  'X-Request-Id': header('The request id, also in the logs', true),
};
const GATEWAY_HEADERS = {
  ...COMMON_HEADERS,
  ...API_HEADERS,
  'x-amzn-ErrorType': header('The kind of gateway error, e.g. `UnauthorizedException`', true),
};

const problemContent = { 'application/problem+json': { schema: schemaRef('Problem') } };
const gatewayContent = { 'application/json': { schema: schemaRef('GatewayError') } };

/** The catalogue rows a client can meet: those some operation answers, and the unexpected 500. */
const documentedRows = (status: number) => [
  ...ERROR_CATALOGUE.filter((entry) => entry.status === status && entry.operations.length > 0),
  ...(UNEXPECTED_ERROR.status === status ? [UNEXPECTED_ERROR] : []),
];
const gatewayRows = (status: number): GatewayResponse[] =>
  Object.values(GATEWAY_RESPONSES).filter((response) => response.statusCode === status);

const ERROR_STATUSES = [
  ...new Set([
    ...ERROR_CATALOGUE.filter((entry) => entry.operations.length > 0).map((entry) => entry.status),
    UNEXPECTED_ERROR.status,
    ...Object.values(GATEWAY_RESPONSES).map((response) => response.statusCode),
  ]),
].sort((a, b) => a - b);

/** A component name from the status's title: `Precondition Failed` → `PreconditionFailed`. */
const nameOf = (status: number) =>
  (documentedRows(status)[0]?.title ?? STATUS_CODES[status] ?? String(status)).replace(/\W/g, '');

/** The same headers, none of them required: what only some answers of a status carry. */
const optional = (headers: Record<string, Json>) =>
  Object.fromEntries(Object.entries(headers).map(([name, spec]) => [name, { ...spec, required: false }]));

/**
 * One response per status. A status only the Lambda answers documents its headers as required; one only
 * API Gateway answers requires `x-amzn-ErrorType`; one both answer lists both media types and requires
 * only what both carry (the rest are listed, optional).
 */
function errorResponse(status: number): Json {
  const lambda = documentedRows(status);
  const gateway = gatewayRows(status);
  // A header is required only when every answer of the status carries it (a 409 may be a busy key or the
  // default list).
  const carriedByAll = (name: string) =>
    lambda.every((entry) => Object.hasOwn((entry as Partial<ErrorEntry>).headers ?? {}, name));
  const lambdaHeaders = Object.fromEntries(
    lambda.flatMap((entry) =>
      Object.entries((entry as Partial<ErrorEntry>).headers ?? {}).map(([name, spec]) => [
        name,
        header(spec.description, !spec.optional && carriedByAll(name)),
      ]),
    ),
  );
  const descriptions = [
    ...lambda.map((entry) => entry.description),
    ...gateway.map(
      ({ description: text, webAcl }) =>
        `${webAcl ? 'AWS WAF' : 'API Gateway'}: ${text[0]?.toLowerCase()}${text.slice(1)}`,
    ),
  ];
  return {
    description: `${[...new Set(descriptions)].join('. ')}.`,
    content: { ...(lambda.length > 0 && problemContent), ...(gateway.length > 0 && gatewayContent) },
    headers:
      gateway.length === 0
        ? { ...LAMBDA_HEADERS, ...lambdaHeaders }
        : lambda.length === 0
          ? GATEWAY_HEADERS
          : { ...COMMON_HEADERS, ...optional(lambdaHeaders) },
  };
}

const NOT_MODIFIED = {
  description: '`If-None-Match` matches the current version (or is `*`), on a read; no body',
  headers: {
    ...LAMBDA_HEADERS,
    ETag: header("The task's current version as a strong ETag (the collection has none)"),
  },
};

export const RESPONSES: Record<string, Json> = {
  ...Object.fromEntries(ERROR_STATUSES.map((status) => [nameOf(status), errorResponse(status)])),
  NotModified: NOT_MODIFIED,
};

const responseRef = (status: number) => ({ $ref: `#/components/responses/${nameOf(status)}` });

export const notModifiedRef = { $ref: '#/components/responses/NotModified' };

/**
 * The errors an operation documents: API Gateway's (on every route, or behind the authorizer, or on a
 * validated body), the catalogue rows that name the operation, and the unexpected 500. Without an
 * operation (a CORS preflight) only what API Gateway answers on any route, and the 500.
 */
export function errorResponses(
  operationId?: OperationId,
  { authorized = false, body = false } = {},
): Record<string, Json> {
  const scopes = new Set(['any', ...(authorized ? ['authorized'] : []), ...(body ? ['body'] : [])]);
  const statuses = new Set([
    ...Object.values(GATEWAY_RESPONSES)
      .filter((response: GatewayResponse) => scopes.has(response.scope))
      .map((response) => response.statusCode),
    UNEXPECTED_ERROR.status,
    ...ERROR_CATALOGUE.filter((entry) => operationId && entry.operations.includes(operationId)).map(
      (entry) => entry.status,
    ),
  ]);
  return Object.fromEntries([...statuses].map((status) => [String(status), responseRef(status)]));
}

/** One task or one list, with its version as the ETag. */
function versionedResponse(schema: 'Task' | 'TaskList', description: string, extraHeaders: Json) {
  return {
    description,
    headers: {
      ...LAMBDA_HEADERS,
      ETag: header('The version as a strong ETag, e.g. `"3"`', true),
      ...extraHeaders,
    },
    content: { 'application/json': { schema: schemaRef(schema) } },
  };
}

export const taskResponse = (description: string, extraHeaders: Json = {}) =>
  versionedResponse('Task', description, extraHeaders);

export const LIST_RESPONSE = {
  description:
    'One page of tasks, as a bare array; with `updatedSince`, a page of the change feed: tasks and tombstones',
  headers: {
    ...LAMBDA_HEADERS,
    Link: header('RFC 8288 `<…/tasks?…&cursor=…>; rel="next"` while more tasks remain'),
  },
  content: {
    'application/json': {
      schema: { type: 'array', items: { oneOf: [schemaRef('Task'), schemaRef('Tombstone')] } },
      example: [EXAMPLE_TASK, EXAMPLE_TOMBSTONE],
    },
  },
};

export const listResponse = (description: string, extraHeaders: Json = {}) =>
  versionedResponse('TaskList', description, extraHeaders);

export const LISTS_RESPONSE = {
  description:
    'One page of lists, as a bare array: the default list first, then the others in creation order. With ' +
    '`updatedSince`, a page of the lists feed: lists, and tombstones for the lists deleted or left',
  headers: {
    ...LAMBDA_HEADERS,
    Link: header('RFC 8288 `<…/lists?…&cursor=…>; rel="next"` while more lists remain'),
  },
  content: {
    'application/json': {
      schema: { type: 'array', items: { oneOf: [schemaRef('TaskList'), schemaRef('ListTombstone')] } },
    },
  },
};

export const MEMBERS_RESPONSE = {
  description: "One page of the list's members, as a bare array, the owner included, in principal id order",
  headers: {
    ...LAMBDA_HEADERS,
    Link: header('RFC 8288 `<…/members?…&cursor=…>; rel="next"` while more members remain'),
  },
  content: { 'application/json': { schema: { type: 'array', items: schemaRef('ListMember') } } },
};

export const memberResponse = (description: string) => ({
  description,
  headers: LAMBDA_HEADERS,
  content: { 'application/json': { schema: schemaRef('ListMember') } },
});

export const REPLAYED_HEADER = {
  'Idempotent-Replayed': header(
    '`true` when this repeats the answer to an earlier request with the same key',
  ),
};

export const CREATED_HEADERS = {
  Location: header("The new task's URL", true, { type: 'string', format: 'uri' }),
};
export const NO_CONTENT = { description: 'Deleted', headers: LAMBDA_HEADERS };

export const publicResponse = (description: string, mediaType: string, schema: Json) => ({
  description,
  headers: COMMON_HEADERS,
  content: { [mediaType]: { schema } },
});

export const PREFLIGHT_RESPONSE = {
  description: 'CORS preflight, answered by API Gateway without auth',
  headers: {
    ...COMMON_HEADERS,
    'Access-Control-Allow-Methods': header('The methods of this path', true),
    'Access-Control-Allow-Headers': header('The request headers a browser may send', true),
    'Access-Control-Max-Age': header('Seconds a browser may cache this answer', true),
  },
};
