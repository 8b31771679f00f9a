import fc from 'fast-check';
import {
  context,
  headerSafe,
  isValidRequest,
  type Operation,
  type RequestSpec,
  resolveBody,
  validRequest,
  wireOf,
} from './request-model.js';
import { arbitraryOf, boundaryStrings, boundaryValues, type Json } from './schema-arbitrary.js';

/** Requests that break what the OpenAPI document says, one rule at a time: sampled, and every edge. */
/** A value of any JSON type, for breaking a field's schema. */
const anyJson = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 7 }),
  fc.constant({}),
);
const ASCII = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });

/** One way to break the document's rules, chosen among those the operation has. */
function breakage(op: Operation): fc.Arbitrary<(request: RequestSpec) => RequestSpec> {
  const ways: fc.Arbitrary<(request: RequestSpec) => RequestSpec>[] = [];
  for (const parameter of op.parameters) {
    if (parameter.in === 'path') {
      ways.push(
        fc.string({ maxLength: 12 }).map((id) => (r) => ({ ...r, taskId: encodeURIComponent(id) || 'x' })),
      );
      continue;
    }
    const tooLong =
      typeof parameter.schema.maxLength === 'number' ? 'a'.repeat(parameter.schema.maxLength + 1) : '';
    const bad = fc.oneof(ASCII, fc.constantFrom(tooLong, '', '0', '-1', '101', '1.5', 'x'));
    if (parameter.in === 'header')
      ways.push(
        bad.filter(headerSafe).map((v) => (r) => ({ ...r, headers: { ...r.headers, [parameter.name]: v } })),
      );
    else {
      ways.push(bad.map((v) => (r) => ({ ...r, query: { ...r.query, [parameter.name]: v } })));
      ways.push(
        arbitraryOf(parameter.schema, context).map((v) => (r) => ({
          ...r,
          query: { ...r.query, [parameter.name]: [wireOf(v), wireOf(v)] },
        })),
      );
    }
  }
  if (op.rules.length > 0) ways.push(ruleBreakage(op));
  if (op.body) {
    const properties = Object.keys((resolveBody(op).properties ?? {}) as Json);
    ways.push(
      fc
        .constantFrom<unknown>([], 'task', 7, null, {}, { colour: 'red' })
        .map((body) => (r) => ({ ...r, body })),
    );
    ways.push(fc.constant((r: RequestSpec) => ({ ...r, body: undefined })));
    ways.push(
      fc
        .constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded')
        .map((contentType) => (r) => ({ ...r, contentType })),
    );
    const propertySchemas = (resolveBody(op).properties ?? {}) as Record<string, Json>;
    const fieldValue = (name: string) =>
      fc.oneof(anyJson, ASCII, fc.constantFrom(...boundaryValues(propertySchemas[name] ?? {}, context)));
    ways.push(
      fc
        .constantFrom(...properties)
        .chain((name) => fieldValue(name).map((value) => [name, value] as const))
        .map(([name, value]) => (r) => ({ ...r, body: { ...(r.body as Json), [name]: value } })),
    );
    // One field alone, valid or not: a patch the document's "at least one field" rule may refuse.
    ways.push(
      fc
        .constantFrom(...properties)
        .chain((name) =>
          fc
            .oneof(arbitraryOf(propertySchemas[name] ?? {}, context), fieldValue(name))
            .map((value) => ({ [name]: value })),
        )
        .map((body) => (r) => ({ ...r, body })),
    );
  }
  return fc.oneof(...ways);
}

/** Parameters each valid alone that together break one of `x-parameter-rules`. */
function ruleBreakage(op: Operation): fc.Arbitrary<(request: RequestSpec) => RequestSpec> {
  const value = (name: string) => {
    const parameter = op.parameters.find((p) => p.name === name && p.in === 'query');
    return parameter ? arbitraryOf(parameter.schema, context).map(wireOf) : fc.constant('x');
  };
  return fc
    .constantFrom(...op.rules)
    .chain((rule) => {
      if (rule.rule === 'excludes')
        return fc
          .tuple(value(rule.parameter), fc.constantFrom(...rule.others))
          .chain(([v, other]) => value(other).map((w) => ({ [rule.parameter]: v, [other]: w })));
      if (rule.rule === 'sortIn')
        return fc
          .tuple(fc.constantFrom(...rule.parameters), value('sort'))
          .filter(([, sort]) => !rule.sort.includes(sort))
          .chain(([name, sort]) => value(name).map((v) => ({ [name]: v, sort })));
      return value(rule.lower).map((v) => ({ [rule.lower]: v, [rule.upper]: v }));
    })
    .map((extra) => (r: RequestSpec) => ({ ...r, query: { ...r.query, ...extra } }));
}

export function invalidRequest(op: Operation): fc.Arbitrary<RequestSpec> {
  return fc
    .tuple(validRequest(op), breakage(op))
    .map(([request, breakIt]) => breakIt(request))
    .filter((request) => !isValidRequest(op, request));
}

/**
 * Every edge the document draws, enumerated rather than sampled: each body field (with the others, and
 * alone) and each parameter set to each boundary value (and, for parameters, to a repeat), on one valid
 * base request, split by what the document says of the result. Random runs rarely land exactly on an edge; these always do.
 */
export function edgeRequests(op: Operation, seed: number): { valid: RequestSpec[]; invalid: RequestSpec[] } {
  const [sample] = fc.sample(validRequest(op), { numRuns: 1, seed });
  if (!sample) throw new Error(`No valid request for ${op.id}`);
  // A base without preconditions, so that a 412 cannot stand in for the refusal an edge should get.
  const base = { ...sample, headers: {} };
  const variants: RequestSpec[] = [];
  for (const parameter of op.parameters) {
    if (parameter.in === 'path' || parameter.schema['x-server-issued']) continue;
    for (const value of [...boundaryStrings(parameter.schema), '0', '101', '1.5']) {
      if (parameter.in === 'header') {
        if (headerSafe(value))
          variants.push({ ...base, headers: { ...base.headers, [parameter.name]: value } });
      } else variants.push({ ...base, query: { ...base.query, [parameter.name]: value } });
    }
    // A single-valued parameter given twice, with a value that is valid once.
    const [once] = fc.sample(arbitraryOf(parameter.schema, context).map(wireOf), { numRuns: 1, seed });
    if (parameter.in === 'query' && once !== undefined)
      variants.push({ ...base, query: { ...base.query, [parameter.name]: [once, once] } });
  }
  if (op.body) {
    const properties = (resolveBody(op).properties ?? {}) as Record<string, Json>;
    for (const [name, schema] of Object.entries(properties)) {
      for (const value of boundaryValues(schema, context)) {
        variants.push({ ...base, body: { ...(base.body as Json), [name]: value } });
        // The field alone: each field must be enough for a patch, or the document must say it is not.
        variants.push({ ...base, body: { [name]: value } });
      }
    }
  }
  return {
    valid: variants.filter((request) => isValidRequest(op, request)),
    invalid: variants.filter((request) => !isValidRequest(op, request)),
  };
}
