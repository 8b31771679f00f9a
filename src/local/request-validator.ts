import { Ajv, type ValidateFunction } from 'ajv';
import { requestModelOf } from '../api/request-models.js';
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
 * The models are draft-4 documents that use only keywords whose meaning draft-7 kept (type, properties,
 * required, enum, min/maxLength), so Ajv's default dialect checks them as API Gateway does.
 */
export function makeBodyValidator(routes: readonly Route[] = ROUTES): BodyValidator {
  const ajv = new Ajv({ allErrors: false, strict: false });
  const compiled = new Map<string, ValidateFunction>();
  for (const route of routes) {
    const model = requestModelOf(route.operationId);
    if (!model || compiled.has(route.operationId)) continue;
    const { $schema: _dialect, ...schema } = model.schema;
    compiled.set(route.operationId, ajv.compile(schema));
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
