import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PRINCIPAL_ID_PATTERN } from '../auth/principal.js';
import { invalidJson, missingPrincipal, payloadTooLarge, unsupportedMediaType } from './http-errors.js';

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
    return JSON.parse(raw);
  } catch (cause) {
    throw invalidJson(cause);
  }
}

/** The public base URL of this stage, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/dev`. */
export function requestUrlOf(event: APIGatewayProxyEvent): URL {
  const proto = headerOf(event, 'x-forwarded-proto') ?? 'https';
  const host = headerOf(event, 'host') ?? event.requestContext.domainName ?? 'localhost';
  return new URL(`${proto}://${host}${event.requestContext.path ?? event.path}`);
}
