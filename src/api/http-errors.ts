/** Errors that belong to HTTP rather than the domain: a malformed request, not a broken rule. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export const invalidJson = (cause: unknown) =>
  new HttpError(400, 'invalid-json', 'Bad Request', 'Invalid JSON', { cause });

export const invalidUtf8 = (cause: unknown) =>
  new HttpError(400, 'invalid-utf8', 'Bad Request', 'Request body is not valid UTF-8', { cause });

export const unsupportedMediaType = () =>
  new HttpError(
    415,
    'unsupported-media-type',
    'Unsupported Media Type',
    "Content-Type must be 'application/json'",
  );

export const payloadTooLarge = (limit: number) =>
  new HttpError(413, 'payload-too-large', 'Payload Too Large', `Request body must be at most ${limit} bytes`);

export const unknownRoute = () => new HttpError(404, 'no-route', 'Not Found', 'No such route');

export const missingPrincipal = () =>
  new HttpError(401, 'unauthenticated', 'Unauthorized', 'No authorized principal on the request');

export const unknownAsset = () => new HttpError(404, 'not-found', 'Not Found', 'No such file');
export const jsonTooDeep = (maxDepth: number, cause: unknown) =>
  new HttpError(400, 'json-too-deep', 'Bad Request', `JSON nesting must be at most ${maxDepth} levels`, {
    cause,
  });

export const badHeader = (name: string, rule: string) =>
  new HttpError(400, 'invalid-header', 'Bad Request', `Header '${name}' ${rule}`);
