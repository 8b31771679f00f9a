import { z } from 'zod';
import { CreateTaskSchema, TaskPatchSchema } from '../domain/task.js';
import type { OperationId } from './routes.js';

/** A JSON Schema draft-4 document, the dialect API Gateway models are written in. */
export type JsonSchemaDraft4 = Readonly<Record<string, unknown>>;

/** The operations that take a JSON body, and the zod schema the handler parses that body with. */
const BODY_SCHEMAS: Partial<Record<OperationId, { name: string; schema: z.core.$ZodType }>> = {
  createTask: { name: 'CreateTask', schema: CreateTaskSchema },
  updateTask: { name: 'TaskPatch', schema: TaskPatchSchema },
};

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
  return { name: entry.name, schema: { ...generated, title: entry.name } };
}
