import * as z from 'zod';

/** Limits a client can rely on; the OpenAPI document and the README quote these numbers. */
export const TASK_LIMITS = Object.freeze({
  titleMaxLength: 200,
  descriptionMaxLength: 4000,
});

export const TASK_STATUSES = ['PENDING', 'IN_PROGRESS', 'DONE'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TaskStatusSchema = z.enum(TASK_STATUSES, { error: 'Invalid status' });

const TitleSchema = z
  .string({
    error: (issue) => (issue.input === undefined ? "Field 'title' is required" : 'Must be a string'),
  })
  .trim()
  .min(1, "Field 'title' must not be empty")
  .max(TASK_LIMITS.titleMaxLength, `Field 'title' must be at most ${TASK_LIMITS.titleMaxLength} characters`);

const DescriptionSchema = z
  .string({ error: 'Must be a string' })
  .max(
    TASK_LIMITS.descriptionMaxLength,
    `Field 'description' must be at most ${TASK_LIMITS.descriptionMaxLength} characters`,
  );

/**
 * What a client may send to create a task. Unknown keys (including the read-only `taskId`, `createdAt`,
 * `updatedAt` and `version`) are dropped, so a client that echoes a task back can never set them.
 */
export const CreateTaskSchema = z.object({
  title: TitleSchema,
  description: DescriptionSchema.default(''),
  status: TaskStatusSchema.default('PENDING'),
});
export type CreateTaskInput = z.infer<typeof CreateTaskSchema>;

/** A partial update: every field optional, at least one present (checked by `parseTaskPatch`). */
export const TaskPatchSchema = z.object({
  title: TitleSchema.optional(),
  description: DescriptionSchema.optional(),
  status: TaskStatusSchema.optional(),
});
export type TaskPatch = z.infer<typeof TaskPatchSchema>;

/** A stored task as clients see it. `version` counts writes and backs the ETag. */
export const TaskSchema = z.object({
  taskId: z.uuid(),
  title: z.string(),
  description: z.string(),
  status: TaskStatusSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().min(1),
});
export type Task = z.infer<typeof TaskSchema>;

/** The fields a patch may change, in a stable order. */
export const PATCHABLE_FIELDS = [
  'title',
  'description',
  'status',
] as const satisfies readonly (keyof TaskPatch)[];

export function newTask(input: CreateTaskInput, taskId: string, now: Date): Task {
  const at = now.toISOString();
  return { taskId, ...input, createdAt: at, updatedAt: at, version: 1 };
}

/**
 * A store-agnostic description of one update: the fields to set. The adapter turns it into a single
 * conditional write, so the rules stay here and the write stays atomic.
 */
export interface TaskChange {
  readonly set: Partial<Pick<Task, 'title' | 'description' | 'status' | 'updatedAt'>>;
}

export function planTaskChange(patch: TaskPatch, now: Date): TaskChange {
  const set: TaskChange['set'] = { updatedAt: now.toISOString() };
  for (const field of PATCHABLE_FIELDS) {
    const value = patch[field];
    if (value !== undefined) Object.assign(set, { [field]: value });
  }
  return { set };
}

/** Applies a change to a task in memory: used by the in-memory store and by tests as the reference model. */
export function applyTaskChange(task: Task, change: TaskChange): Task {
  return { ...task, ...change.set, version: task.version + 1 };
}
