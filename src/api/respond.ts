import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { InvalidPlacementError, TaskServiceError, ValidationError } from '../domain/errors.js';
import type { Headers } from './cors.js';
import { entryOf, headersOf, problemType, UNEXPECTED_ERROR } from './error-catalogue.js';
import { HttpError } from './http-errors.js';

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

export function isExpectedError(error: unknown): boolean {
  return error instanceof TaskServiceError || error instanceof HttpError;
}

/** The body of every error the task service itself answers; the OpenAPI document is built from it. */
export const ProblemSchema = z
  .object({
    type: z.string().check(
      z.meta({
        description: 'A URN naming the kind of problem',
        examples: ['urn:task-service:problem:not-found'],
      }),
    ),
    title: z.string(),
    status: z.int().check(z.minimum(400), z.maximum(599)),
    detail: z.string(),
    message: z.string().check(z.meta({ description: "The same text as `detail`: the original API's field" })),
    requestId: z.string(),
    errors: z
      .optional(z.array(z.object({ field: z.string(), message: z.string() })))
      .check(z.meta({ description: 'One entry per broken field rule' })),
  })
  .check(
    z.meta({ title: 'Problem', description: 'An RFC 9457 problem document that still carries `message`' }),
  );

/**
 * The single mapping from errors to HTTP: an RFC 9457 problem document that still carries the original's
 * `message`. Status, type, title and headers come from the error catalogue; client errors show their
 * message, anything unexpected is opaque.
 */
export function problem(error: unknown, requestId: string, headers: Headers = {}): APIGatewayProxyResult {
  const entry = entryOf(error);
  const shape = entry ?? UNEXPECTED_ERROR;
  const message = entry ? (error as Error).message : `Internal server error (request id ${requestId})`;
  const body: z.infer<typeof ProblemSchema> = {
    type: problemType(shape.type),
    title: shape.title,
    status: shape.status,
    detail: message,
    message,
    requestId,
    ...(error instanceof ValidationError &&
      error.fieldErrors.length > 0 && { errors: [...error.fieldErrors] }),
    ...(error instanceof InvalidPlacementError && { errors: [{ field: error.field, message }] }),
  };
  return {
    statusCode: shape.status,
    headers: {
      'Content-Type': 'application/problem+json',
      ...(entry && headersOf(entry, error as Error)),
      ...headers,
    },
    body: JSON.stringify(body),
  };
}
