import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import {
  DeadlineExceededError,
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  PreconditionFailedError,
  ResyncRequiredError,
  StoreThrottledError,
  StoreUnavailableError,
  TaskNotFoundError,
  TaskServiceError,
  ValidationError,
} from '../domain/errors.js';
import type { Headers } from './cors.js';
import { HttpError } from './http-errors.js';
import { etagOf } from './preconditions.js';

export function json(statusCode: number, body: unknown, headers: Headers = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function text(
  statusCode: number,
  body: string,
  contentType: string,
  headers: Headers = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': contentType, ...headers }, body };
}

export function notModified(headers: Headers): APIGatewayProxyResult {
  return { statusCode: 304, headers, body: '' };
}

export function noContent(headers: Headers = {}): APIGatewayProxyResult {
  return { statusCode: 204, headers, body: '' };
}

interface ProblemShape {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly headers?: Headers;
}

/** The single mapping from errors to HTTP. Client errors show their message; anything else is opaque. */
function shapeOf(error: unknown): ProblemShape | undefined {
  if (error instanceof HttpError) return { status: error.status, slug: error.slug, title: error.title };
  if (error instanceof ValidationError)
    return { status: 400, slug: 'validation-failed', title: 'Bad Request' };
  if (error instanceof TaskNotFoundError) return { status: 404, slug: 'not-found', title: 'Not Found' };
  if (error instanceof ResyncRequiredError) return { status: 410, slug: 'resync-required', title: 'Gone' };
  if (error instanceof PreconditionFailedError)
    return {
      status: 412,
      slug: 'precondition-failed',
      title: 'Precondition Failed',
      headers: { ETag: etagOf(error.currentVersion) },
    };
  if (error instanceof IdempotencyKeyReusedError)
    return { status: 422, slug: 'idempotency-key-reused', title: 'Unprocessable Content' };
  if (error instanceof IdempotencyInProgressError)
    return {
      status: 409,
      slug: 'idempotency-in-progress',
      title: 'Conflict',
      headers: { 'Retry-After': '1' },
    };
  if (error instanceof StoreThrottledError)
    return { status: 429, slug: 'throttled', title: 'Too Many Requests', headers: { 'Retry-After': '1' } };
  if (error instanceof StoreUnavailableError || error instanceof DeadlineExceededError)
    return {
      status: 503,
      slug: 'unavailable',
      title: 'Service Unavailable',
      headers: { 'Retry-After': '2' },
    };
  return undefined;
}

export function isExpectedError(error: unknown): boolean {
  return error instanceof TaskServiceError || error instanceof HttpError;
}

/** The body of every error the task service itself answers; the OpenAPI document is built from it. */
export const ProblemSchema = z
  .object({
    type: z.string().meta({
      description: 'A URN naming the kind of problem',
      examples: ['urn:task-service:problem:not-found'],
    }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    message: z.string().meta({ description: "The same text as `detail`: the original API's field" }),
    requestId: z.string(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'One entry per broken field rule' }),
  })
  .meta({ title: 'Problem', description: 'An RFC 9457 problem document that still carries `message`' });

/** An RFC 9457 problem document that still carries the original's `message` field. */
export function problem(error: unknown, requestId: string, headers: Headers = {}): APIGatewayProxyResult {
  const shape = shapeOf(error) ?? { status: 500, slug: 'internal-error', title: 'Internal Server Error' };
  const message =
    shape.status === 500 ? `Internal server error (request id ${requestId})` : (error as Error).message;
  const body: z.infer<typeof ProblemSchema> = {
    type: `urn:task-service:problem:${shape.slug}`,
    title: shape.title,
    status: shape.status,
    detail: message,
    message,
    requestId,
    ...(error instanceof ValidationError &&
      error.fieldErrors.length > 0 && { errors: [...error.fieldErrors] }),
  };
  return {
    statusCode: shape.status,
    headers: { 'Content-Type': 'application/problem+json', ...shape.headers, ...headers },
    body: JSON.stringify(body),
  };
}
