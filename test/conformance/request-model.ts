import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { REPO_ROOT } from '../support/local-server.js';
import { arbitraryOf, boundaryStrings, type Json } from './schema-arbitrary.js';

/**
 * Requests as the OpenAPI document describes them: which are valid (AJV judges each part against the
 * document's own schemas, and the list's `x-parameter-rules`), and fast-check arbitraries of valid ones
 * and of ones that break exactly what the document says, one rule at a time.
 */
interface Parameter {
  readonly name: string;
  readonly in: 'query' | 'header' | 'path';
  readonly schema: Json;
}
type ParameterRule =
  | { rule: 'excludes'; parameter: string; others: string[] }
  | { rule: 'sortIn'; parameters: string[]; sort: string[] }
  | { rule: 'lessThan'; lower: string; upper: string };

export interface Operation {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body?: Json;
  readonly mediaTypes: readonly string[];
  readonly rules: readonly ParameterRule[];
}

export interface RequestSpec {
  /** Query values on the wire; a list repeats the parameter. */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  readonly headers: Readonly<Record<string, string>>;
  /** Replaces the path parameter `taskId` (else the target task's id is used). */
  readonly taskId?: string;
  /** `undefined`: no body. */
  readonly body?: unknown;
  readonly contentType?: string;
}

const DOCUMENT_ID = 'https://task-service.local/openapi.json';
const document = JSON.parse(readFileSync(join(REPO_ROOT, 'openapi', 'openapi.json'), 'utf8')) as Json & {
  paths: Record<string, Record<string, Json>>;
};
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
ajv.addSchema({ ...document, $id: DOCUMENT_ID });
const compiled = new Map<string, ValidateFunction>();

function validates(schema: Json, value: unknown): boolean {
  const key = JSON.stringify(schema);
  let check = compiled.get(key);
  if (!check) {
    const rebased = JSON.parse(key.replaceAll('"#/', `"${DOCUMENT_ID}#/`)) as Json;
    check = ajv.compile({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...rebased });
    compiled.set(key, check);
  }
  return check(value) as boolean;
}

const resolve = (ref: string): Json =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Json>((node, key) => node[key] as Json, document);
const context = { resolve };

/** The task operations of the document (the public docs routes take no input worth generating). */
export function operationsOf(): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const op = raw as Json;
      if (method === 'options' || (op.tags as string[])[0] !== 'tasks') continue;
      const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
      const body = Object.values(content)[0]?.schema as Json | undefined;
      operations.push({
        id: op.operationId as string,
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []) as Parameter[],
        ...(body && { body }),
        mediaTypes: Object.keys(content),
        rules: (op['x-parameter-rules'] ?? []) as ParameterRule[],
      });
    }
  }
  return operations;
}

/** A wire value as OpenAPI's simple and form styles read it for the parameter's schema. */
function parameterValid(parameter: Parameter, wire: string): boolean {
  if (parameter.schema.type === 'integer')
    return /^-?\d+$/.test(wire) && validates(parameter.schema, Number(wire));
  return validates(parameter.schema, wire);
}

function effectiveSort(query: RequestSpec['query']): unknown {
  const dueRange = query.dueBefore !== undefined || query.dueAfter !== undefined;
  return query.sort ?? (dueRange ? 'dueDate' : 'createdAt');
}

const instant = (value: string) => new Date(/T/i.test(value) ? value : `${value}T00:00:00Z`).getTime();

function rulesHold(rules: readonly ParameterRule[], query: RequestSpec['query']): boolean {
  const has = (name: string) => query[name] !== undefined;
  return rules.every((rule) => {
    if (rule.rule === 'excludes') return !has(rule.parameter) || !rule.others.some(has);
    if (rule.rule === 'sortIn')
      return !rule.parameters.some(has) || rule.sort.includes(effectiveSort(query) as string);
    if (!has(rule.lower) || !has(rule.upper)) return true;
    return instant(String(query[rule.lower])) < instant(String(query[rule.upper]));
  });
}

/** Whether the document says this request is valid. */
export function isValidRequest(op: Operation, request: RequestSpec): boolean {
  for (const parameter of op.parameters) {
    const value =
      parameter.in === 'query'
        ? request.query[parameter.name]
        : parameter.in === 'header'
          ? request.headers[parameter.name]
          : request.taskId;
    if (value === undefined) continue;
    // A parameter with a single-value schema may appear once.
    if (Array.isArray(value) || !parameterValid(parameter, value as string)) return false;
  }
  if (!rulesHold(op.rules, request.query)) return false;
  if (!op.body) return true;
  if (request.body === undefined) return false;
  if (request.contentType !== undefined && !op.mediaTypes.includes(request.contentType)) return false;
  return validates(op.body, request.body);
}

/** Header values as fetch can send them: visible ASCII and spaces, no surrounding white space. */
const headerSafe = (value: string) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value);
const wireOf = (value: unknown) => String(value);

function parametersArbitrary(op: Operation, where: 'query' | 'header'): fc.Arbitrary<Record<string, string>> {
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const parameter of op.parameters.filter((p) => p.in === where)) {
    if (parameter.schema['x-server-issued']) continue; // a made-up value of the right form is still refused
    const values = arbitraryOf(parameter.schema, context).map(wireOf);
    model[parameter.name] = where === 'header' ? values.filter(headerSafe) : values;
  }
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
}

export function validRequest(op: Operation): fc.Arbitrary<RequestSpec> {
  return fc
    .record({
      query: parametersArbitrary(op, 'query'),
      headers: parametersArbitrary(op, 'header'),
      body: op.body ? arbitraryOf(op.body, context) : fc.constant(undefined),
    })
    .map(({ body, ...rest }): RequestSpec => (body === undefined ? rest : { ...rest, body }))
    .filter((request) => isValidRequest(op, request));
}

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
    ways.push(
      fc
        .constantFrom(...properties)
        .chain((name) =>
          fc
            .oneof(anyJson, ASCII, fc.constantFrom(...boundaryStrings(propertySchemas[name] ?? {})))
            .map((value) => [name, value] as const),
        )
        .map(([name, value]) => (r) => ({ ...r, body: { ...(r.body as Json), [name]: value } })),
    );
  }
  return fc.oneof(...ways);
}

const resolveBody = (op: Operation): Json =>
  typeof op.body?.$ref === 'string' ? resolve(op.body.$ref) : (op.body ?? {});

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
 * Every edge the document draws, enumerated rather than sampled: each body field and each parameter set to
 * each boundary string (and, for parameters, to a repeat), on one valid base request, split by what the
 * document says of the result. Random runs rarely land exactly on an edge; these always do.
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
      const values: unknown[] =
        schema.type === 'array' ? [[], ['a', 'b', 'c', 'd', 'e', 'f']] : boundaryStrings(schema);
      for (const value of values) variants.push({ ...base, body: { ...(base.body as Json), [name]: value } });
    }
  }
  return {
    valid: variants.filter((request) => isValidRequest(op, request)),
    invalid: variants.filter((request) => !isValidRequest(op, request)),
  };
}
