/**
 * Errors that belong to HTTP rather than the domain: a malformed request, not a broken rule. Each is a
 * class, so the error catalogue (`error-catalogue.ts`) finds its status, type and title by `instanceof`.
 */
export abstract class HttpError extends Error {
  /** The class's own name as a literal, which minifying cannot rename (see `TaskServiceError`). */
  abstract override readonly name: string;
}

export class InvalidJsonError extends HttpError {
  override readonly name = 'InvalidJsonError';
}
/** A JSON body whose bytes are not UTF-8 (JSON text is UTF-8, RFC 8259): refused, never stored with U+FFFD. */
export class InvalidUtf8Error extends HttpError {
  override readonly name = 'InvalidUtf8Error';
}
export class NestingTooDeepError extends HttpError {
  override readonly name = 'NestingTooDeepError';
}
export class InvalidHeaderError extends HttpError {
  override readonly name = 'InvalidHeaderError';
}
export class PayloadTooLargeError extends HttpError {
  override readonly name = 'PayloadTooLargeError';
}
export class UnsupportedMediaTypeError extends HttpError {
  override readonly name = 'UnsupportedMediaTypeError';
}
/** The handler was given a route the table lacks (API Gateway answers those itself, before the Lambda). */
export class NoRouteError extends HttpError {
  override readonly name = 'NoRouteError';
}
/** No principal on the event: only possible without the authorizer in front. */
export class MissingPrincipalError extends HttpError {
  override readonly name = 'MissingPrincipalError';
}
/** A JWT that expired while API Gateway still held its Allow in the authorizer cache. */
export class CredentialExpiredError extends HttpError {
  override readonly name = 'CredentialExpiredError';
}
export class UnknownAssetError extends HttpError {
  override readonly name = 'UnknownAssetError';
}

export const invalidJson = (cause: unknown) => new InvalidJsonError('Invalid JSON', { cause });

export const invalidUtf8 = (cause: unknown) =>
  new InvalidUtf8Error('Request body is not valid UTF-8', { cause });

export const unsupportedMediaType = () =>
  new UnsupportedMediaTypeError("Content-Type must be 'application/json'");

export const payloadTooLarge = (limit: number) =>
  new PayloadTooLargeError(`Request body must be at most ${limit} bytes`);

export const unknownRoute = () => new NoRouteError('No such route');

export const missingPrincipal = () => new MissingPrincipalError('No authorized principal on the request');

/** The same text as API Gateway's own 401, so a client need not tell the two apart. */
export const credentialExpired = () => new CredentialExpiredError('Unauthorized');

export const unknownAsset = () => new UnknownAssetError('No such file');

export const jsonTooDeep = (maxDepth: number, cause: unknown) =>
  new NestingTooDeepError(`JSON nesting must be at most ${maxDepth} levels`, { cause });

export const badHeader = (name: string, rule: string) => new InvalidHeaderError(`Header '${name}' ${rule}`);
