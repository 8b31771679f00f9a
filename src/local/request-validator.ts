import type { ValidateFunction } from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { type JsonSchemaDraft4, nonDraft4Keywords, requestModelOf } from '../api/request-models.js';
import { ROUTES, type Route } from '../api/routes.js';

/** Answers whether API Gateway's request validator would let this body through to the integration. */
export type BodyValidator = (route: Route, contentType: string | undefined, body: string | null) => boolean;

/**
 * The local twin of the stage's request validator with `validateRequestBody` on (CDK context
 * `validateRequestBody=true`): the body of a method with an `application/json` model must parse and match
 * the model, else API Gateway answers BAD_REQUEST_BODY (400 `{"message":"Invalid request body"}`) without
 * calling the Lambda. A missing Content-Type counts as `application/json`, as on API Gateway; a body sent
 * with another media type has no model to match and passes, leaving the 415 to the handler.
 *
 * The models are compiled as API Gateway reads them: draft-04, strictly. A keyword draft-04 lacks (`examples`,
 * `const`, `$id`) makes this throw, as it makes API Gateway refuse the model at deploy time.
 */
export function makeBodyValidator(routes: readonly Route[] = ROUTES): BodyValidator {
  const compile = draft4Compiler();
  const compiled = new Map<string, ValidateFunction>();
  for (const route of routes) {
    const model = requestModelOf(route.operationId);
    if (!model || compiled.has(route.operationId)) continue;
    compiled.set(route.operationId, compile(model.schema));
  }
  return (route, contentType, body) => {
    const validate = compiled.get(route.operationId);
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() || 'application/json';
    if (!validate || mediaType !== 'application/json') return true;
    try {
      return validate(JSON.parse(body ?? ''));
    } catch {
      return false;
    }
  };
}

/** Compiles a model the way API Gateway accepts it: draft-04 keywords only, unknown keywords refused. */
export function draft4Compiler(): (schema: JsonSchemaDraft4) => ValidateFunction {
  const ajv = new Ajv04.default({ allErrors: false, strict: true });
  addFormats.default(ajv, ['date', 'date-time', 'uuid']);
  return (schema) => {
    // Ajv's draft-04 class still knows a few later keywords (`const`), so the list is checked first.
    const unsupported = nonDraft4Keywords(schema);
    if (unsupported.length > 0)
      throw new Error(`Invalid model schema specified. Unsupported keyword(s): ${unsupported.join(', ')}`);
    return ajv.compile(schema);
  };
}
