import type { z } from 'zod';
import { type FieldError, ValidationError } from './errors.js';
import { type CreateTaskInput, CreateTaskSchema, type TaskPatch, TaskPatchSchema } from './task.js';

function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
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
