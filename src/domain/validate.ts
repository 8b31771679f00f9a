import * as z from 'zod/mini';
import { type FieldError, ValidationError } from './errors.js';
import { type CreateTaskInput, CreateTaskSchema, type TaskPatch, TaskPatchSchema } from './task.js';
import { type ListInput, ListInputSchema, type MemberInput, MemberInputSchema } from './task-list.js';

const taskIdOrNull = (field: string) =>
  z._default(z.nullable(z.uuid({ error: `Field '${field}' must be a task id or null` })), null);

/**
 * `POST …/tasks/{taskId}/move`: after `previousId` (first when null or absent), under `parentId` (top level
 * when null or absent), and into `listId` (`@default` or a list's id) when given.
 */
export const MoveTaskSchema = z.object({
  previousId: taskIdOrNull('previousId'),
  parentId: taskIdOrNull('parentId'),
  listId: z.optional(
    z.string({ error: "Field 'listId' must be a list id" }).check(z.minLength(1), z.maxLength(64)),
  ),
});
export type MoveTaskInput = z.infer<typeof MoveTaskSchema>;

function fieldErrorsOf(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseWith<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  if (!isPlainObject(body)) {
    throw new ValidationError('Request body must be a JSON object', [
      { field: '(body)', message: 'Expected a JSON object' },
    ]);
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fieldErrors = fieldErrorsOf(result.error);
  // The first field's message is the headline, so the original's `Field 'title' is required` survives.
  throw new ValidationError(fieldErrors[0]?.message ?? 'Invalid request body', fieldErrors, {
    cause: result.error,
  });
}

export function parseCreateTask(body: unknown): CreateTaskInput {
  return parseWith(CreateTaskSchema, body);
}

export function parseTaskPatch(body: unknown): TaskPatch {
  return parseWith(TaskPatchSchema, body);
}

export function parseListInput(body: unknown): ListInput {
  return parseWith(ListInputSchema, body);
}

export function parseMemberInput(body: unknown): MemberInput {
  return parseWith(MemberInputSchema, body);
}

export function parseMoveTask(body: unknown): MoveTaskInput {
  return parseWith(MoveTaskSchema, body);
}
