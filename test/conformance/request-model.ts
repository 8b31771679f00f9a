import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { REPO_ROOT } from '../support/local-server.js';
import { arbitraryOf, type Json } from './schema-arbitrary.js';

/**
 * Requests as the OpenAPI document describes them: which are valid (AJV judges each part against the
 * document's own schemas, and the list's `x-parameter-rules`), and a fast-check arbitrary of valid ones.
 * `request-breakage.ts` breaks them.
 */
export interface Parameter {
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
export const context = { resolve };

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
  return query.sort ?? (dueRange ? 'dueDate' : query.parentId !== undefined ? 'position' : 'createdAt');
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
export const headerSafe = (value: string) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value);
export const wireOf = (value: unknown) => String(value);

function parametersArbitrary(op: Operation, where: 'query' | 'header'): fc.Arbitrary<Record<string, string>> {
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const parameter of op.parameters.filter((p) => p.in === where)) {
    if (parameter.schema['x-server-issued']) continue; // a made-up value of the right form is still refused
    const values = arbitraryOf(parameter.schema, context).map(wireOf);
    model[parameter.name] = where === 'header' ? values.filter(headerSafe) : values;
  }
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
}

/**
 * The query with the parameters that break a rule dropped, one rule at a time: generating at random and
 * filtering would throw most queries away once a list has many parameters and rules between them.
 */
function repaired(rules: readonly ParameterRule[], query: Record<string, string>): Record<string, string> {
  const fixed = { ...query };
  for (let pass = 0; pass < rules.length && !rulesHold(rules, fixed); pass++)
    for (const rule of rules) {
      if (rulesHold([rule], fixed)) continue;
      if (rule.rule === 'excludes') delete fixed[rule.parameter];
      else if (rule.rule === 'sortIn') for (const name of rule.parameters) delete fixed[name];
      else delete fixed[rule.upper];
    }
  return fixed;
}

export function validRequest(op: Operation): fc.Arbitrary<RequestSpec> {
  return fc
    .record({
      query: parametersArbitrary(op, 'query').map((query) => repaired(op.rules, query)),
      headers: parametersArbitrary(op, 'header'),
      body: op.body ? arbitraryOf(op.body, context) : fc.constant(undefined),
    })
    .map(({ body, ...rest }): RequestSpec => (body === undefined ? rest : { ...rest, body }))
    .filter((request) => isValidRequest(op, request));
}

/** The body schema's object, its `$ref` followed. */
export const resolveBody = (op: Operation): Json =>
  typeof op.body?.$ref === 'string' ? resolve(op.body.$ref) : (op.body ?? {});
