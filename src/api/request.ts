import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PRINCIPAL_ID_PATTERN } from '../auth/principal.js';
import {
  badHeader,
  invalidJson,
  jsonTooDeep,
  missingPrincipal,
  payloadTooLarge,
  unsupportedMediaType,
} from './http-errors.js';
import { JsonTooDeepError, MAX_JSON_DEPTH, parseUntrustedJson } from './safe-json.js';

/** Bodies are small JSON documents; this bound sits far below API Gateway's 10 MB. */
export const MAX_BODY_BYTES = 64 * 1024;

export function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function principalOf(event: APIGatewayProxyEvent): string {
  const principalId: unknown = event.requestContext.authorizer?.principalId;
  if (typeof principalId !== 'string' || !PRINCIPAL_ID_PATTERN.test(principalId)) throw missingPrincipal();
  return principalId;
}

function isJsonMediaType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

/** The JSON body, or `{}` when there is none (the original treated a missing body as an empty object). */
export function jsonBodyOf(event: APIGatewayProxyEvent): unknown {
  const raw =
    event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw === null || raw === undefined || raw.trim() === '') return {};
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  const contentType = headerOf(event, 'content-type');
  if (contentType !== undefined && !isJsonMediaType(contentType)) throw unsupportedMediaType();
  try {
    return parseUntrustedJson(raw);
  } catch (cause) {
    throw cause instanceof JsonTooDeepError ? jsonTooDeep(MAX_JSON_DEPTH, cause) : invalidJson(cause);
  }
}

/** Idempotency keys: 1–255 visible ASCII characters (a UUID is the usual choice). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export function idempotencyKeyOf(event: APIGatewayProxyEvent): string | undefined {
  const key = headerOf(event, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key))
    throw badHeader('Idempotency-Key', 'must be 1-255 visible ASCII characters');
  return key;
}

/** The public base URL of this stage, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/dev`. */
export function requestUrlOf(event: APIGatewayProxyEvent): URL {
  const proto = headerOf(event, 'x-forwarded-proto') ?? 'https';
  const host = headerOf(event, 'host') ?? event.requestContext.domainName ?? 'localhost';
  return new URL(`${proto}://${host}${event.requestContext.path ?? event.path}`);
}
