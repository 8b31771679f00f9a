import type { APIGatewayProxyEvent } from 'aws-lambda';
import { CLOCK_TOLERANCE_SECONDS, PRINCIPAL_ID_PATTERN } from '../auth/principal.js';
import {
  badHeader,
  credentialExpired,
  invalidJson,
  invalidUtf8,
  jsonTooDeep,
  missingPrincipal,
  payloadTooLarge,
  unsupportedMediaType,
} from './http-errors.js';
import { JsonTooDeepError, MAX_JSON_DEPTH, parseUntrustedJson } from './safe-json.js';

/** Bodies are small JSON documents; this bound sits far below API Gateway's 10 MB. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A request's headers by lower-case name: its first value and its whole list, as the event has them. */
interface HeaderIndex {
  readonly single: Map<string, string>;
  readonly lists: Map<string, string>;
}

/** Built once per event: a request asks for half a dozen headers, each a scan with case folding. */
const headerIndexes = new WeakMap<APIGatewayProxyEvent, HeaderIndex>();

function headerIndexOf(event: APIGatewayProxyEvent): HeaderIndex {
  let index = headerIndexes.get(event);
  if (!index) {
    index = { single: new Map(), lists: new Map() };
    // The first spelling that matches wins, as a scan in the event's order would find it.
    for (const [key, value] of Object.entries(event.headers ?? {})) {
      const name = key.toLowerCase();
      if (value !== undefined && !index.single.has(name)) index.single.set(name, value);
    }
    for (const [key, values] of Object.entries(event.multiValueHeaders ?? {})) {
      const name = key.toLowerCase();
      if (values && values.length > 0 && !index.lists.has(name)) index.lists.set(name, values.join(', '));
    }
    headerIndexes.set(event, index);
  }
  return index;
}

export function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  return headerIndexOf(event).single.get(name.toLowerCase());
}

/** A header's value; repeated fields are one comma-separated list (RFC 9110 §5.3). */
export function listHeaderOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  const index = headerIndexOf(event);
  const wanted = name.toLowerCase();
  return index.lists.get(wanted) ?? index.single.get(wanted);
}

/**
 * The caller the authorizer named. A credential with an expiry (the context's `exp`, epoch seconds, a
 * string by the time it gets here) is refused once past it: API Gateway's cache would otherwise keep an
 * expired JWT's Allow for up to the cache TTL.
 */
export function principalOf(event: APIGatewayProxyEvent, nowMs: number): string {
  const principalId: unknown = event.requestContext.authorizer?.principalId;
  if (typeof principalId !== 'string' || !PRINCIPAL_ID_PATTERN.test(principalId)) throw missingPrincipal();
  const exp: unknown = event.requestContext.authorizer?.exp;
  if (exp !== undefined && exp !== null && !(nowMs < (Number(exp) + CLOCK_TOLERANCE_SECONDS) * 1000))
    throw credentialExpired();
  return principalId;
}

/** The media type of a Content-Type value, lower case and without parameters (`application/json`). */
export function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]?.trim().toLowerCase() ?? '';
}

function isJsonMediaType(contentType: string): boolean {
  const mediaType = mediaTypeOf(contentType);
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

/**
 * The REST API's binaryMediaTypes. A request whose Content-Type matches reaches the function as the bytes
 * sent, base64-encoded (`isBase64Encoded: true`); any other body arrives as text API Gateway already
 * decoded, bad bytes replaced by U+FFFD. `application/*` covers every JSON media type the handler accepts,
 * so it can refuse a body that is not UTF-8 instead of storing the replacement characters.
 */
export const BINARY_MEDIA_TYPES = Object.freeze(['application/*']);

/** Whether API Gateway passes a body of this Content-Type to the integration as bytes (see above). */
export function isBinaryMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [type, subtype] = mediaTypeOf(contentType).split('/');
  return BINARY_MEDIA_TYPES.some((entry) => {
    const [t, s] = entry.split('/');
    return (t === '*' || t === type) && (s === '*' || s === subtype);
  });
}

/** JSON is UTF-8 (RFC 8259): bytes that are not are refused, never replaced. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The body as text: the bytes of a base64 body decoded strictly, a text body as API Gateway passed it. */
function bodyTextOf(event: APIGatewayProxyEvent): string | null {
  if (!event.isBase64Encoded || !event.body) return event.body ?? null;
  const bytes = Buffer.from(event.body, 'base64');
  if (bytes.length > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  try {
    return strictUtf8.decode(bytes);
  } catch (cause) {
    throw invalidUtf8(cause);
  }
}

/** The JSON body, or `{}` when there is none (the original treated a missing body as an empty object). */
export function jsonBodyOf(event: APIGatewayProxyEvent): unknown {
  const contentType = headerOf(event, 'content-type');
  if (event.body && contentType !== undefined && !isJsonMediaType(contentType)) throw unsupportedMediaType();
  const raw = bodyTextOf(event);
  if (raw === null || raw.trim() === '') return {};
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
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

/** A `Host` header: a host name, IPv4 or bracketed IPv6 address, and an optional port; nothing else. */
const HOST_HEADER =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

export function isHostHeader(value: string): boolean {
  return HOST_HEADER.test(value) && URL.canParse(`http://${value}`);
}

/**
 * The public base URL of this stage, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/dev`, from
 * `Host` and `X-Forwarded-Proto` (API Gateway's own on AWS; the client's through the local gateway, so
 * both are checked: links are never `javascript://…` nor aimed at a path smuggled into `Host`).
 */
export function requestUrlOf(event: APIGatewayProxyEvent): URL {
  const proto = headerOf(event, 'x-forwarded-proto') ?? 'https';
  if (proto !== 'http' && proto !== 'https')
    throw badHeader('X-Forwarded-Proto', "must be 'http' or 'https'");
  const host = headerOf(event, 'host') ?? event.requestContext.domainName ?? 'localhost';
  if (!isHostHeader(host)) throw badHeader('Host', 'must be a host name or address and an optional port');
  return new URL(`${proto}://${host}${event.requestContext.path ?? event.path}`);
}
