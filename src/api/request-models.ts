import { z } from 'zod';
import { CreateTaskSchema, TaskPatchSchema } from '../domain/task.js';
import { ListInputSchema, MemberInputSchema } from '../domain/task-list.js';
import { MoveTaskSchema } from '../domain/validate.js';
import type { OperationId } from './routes.js';

/** A JSON Schema draft-4 document, the dialect API Gateway models are written in. */
export type JsonSchemaDraft4 = Readonly<Record<string, unknown>>;

/** The operations that take a JSON body, and the zod schema the handler parses that body with. */
const BODY_SCHEMAS: Partial<Record<OperationId, { name: string; schema: z.core.$ZodType }>> = {
  createTask: { name: 'CreateTask', schema: CreateTaskSchema },
  updateTask: { name: 'TaskPatch', schema: TaskPatchSchema },
  moveTask: { name: 'MoveTask', schema: MoveTaskSchema },
  createList: { name: 'ListInput', schema: ListInputSchema },
  updateList: { name: 'ListInput', schema: ListInputSchema },
  setMember: { name: 'MemberInput', schema: MemberInputSchema },
};

/**
 * Every keyword of JSON Schema draft-04 (core and validation). API Gateway refuses a model with any other
 * keyword ("Invalid model schema specified. Unsupported keyword(s)") and the stack rolls back.
 */
export const DRAFT4_KEYWORDS: ReadonlySet<string> = new Set([
  ...['$schema', 'id', '$ref', 'title', 'description', 'default', 'format', 'definitions'],
  ...['type', 'enum', 'allOf', 'anyOf', 'oneOf', 'not'],
  ...['multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum'],
  ...['maxLength', 'minLength', 'pattern'],
  ...['items', 'additionalItems', 'maxItems', 'minItems', 'uniqueItems'],
  ...['properties', 'patternProperties', 'additionalProperties', 'required', 'dependencies'],
  ...['maxProperties', 'minProperties'],
]);

/** Keywords whose value maps names to subschemas, and those whose value is a subschema or a list of them. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
const SUBSCHEMAS = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'allOf',
  'anyOf',
  'oneOf',
]);

type Visit = (schema: Record<string, unknown>, path: string) => Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Rebuilds a schema bottom-up, calling `visit` on every (sub)schema: names and values are never visited. */
function mapSchema(schema: unknown, path: string, visit: Visit): unknown {
  if (Array.isArray(schema)) return schema.map((item, i) => mapSchema(item, `${path}/${i}`, visit));
  if (!isObject(schema)) return schema;
  const mapped = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      const at = `${path}/${key}`;
      if (SCHEMA_MAPS.has(key) && isObject(value)) {
        const members = Object.entries(value).map(([name, sub]) => [
          name,
          mapSchema(sub, `${at}/${name}`, visit),
        ]);
        return [key, Object.fromEntries(members)];
      }
      return [key, SUBSCHEMAS.has(key) ? mapSchema(value, at, visit) : value];
    }),
  );
  return visit(mapped, path || '/');
}

/** Where a schema uses a keyword draft-04 lacks (`/properties/dueDate: examples`); empty when it is clean. */
export function nonDraft4Keywords(schema: unknown): string[] {
  const found: string[] = [];
  mapSchema(schema, '', (node, path) => {
    for (const key of Object.keys(node)) if (!DRAFT4_KEYWORDS.has(key)) found.push(`${path}: ${key}`);
    return node;
  });
  return found;
}

/** The schema without the keywords draft-04 lacks (zod emits `examples` from `.meta()` even for draft-4). */
function draft4Only(schema: unknown): JsonSchemaDraft4 {
  const strip: Visit = (node) =>
    Object.fromEntries(Object.entries(node).filter(([key]) => DRAFT4_KEYWORDS.has(key)));
  return mapSchema(schema, '', strip) as JsonSchemaDraft4;
}

export interface RequestModel {
  /** API Gateway model names are alphanumeric. */
  readonly name: string;
  readonly schema: JsonSchemaDraft4;
}

/**
 * The body model of an operation, generated from the handler's own zod schema (input side: fields with a
 * default are optional), in API Gateway's draft-4 shape. `undefined` for operations without a body.
 */
export function requestModelOf(operationId: OperationId): RequestModel | undefined {
  const entry = BODY_SCHEMAS[operationId];
  if (!entry) return undefined;
  const generated = z.toJSONSchema(entry.schema, { target: 'draft-4', io: 'input' });
  return { name: entry.name, schema: draft4Only({ ...generated, title: entry.name }) };
}
