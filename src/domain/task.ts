import * as z from 'zod';

/** Limits a client can rely on; the OpenAPI document and the README quote these numbers. */
export const TASK_LIMITS = Object.freeze({
  titleMaxLength: 200,
  descriptionMaxLength: 4000,
  maxTags: 5,
  tagMaxLength: 32,
});

export const TASK_STATUSES = ['PENDING', 'IN_PROGRESS', 'DONE'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const TaskStatusSchema = z.enum(TASK_STATUSES, { error: 'Invalid status' });
export const TaskPrioritySchema = z.enum(TASK_PRIORITIES, { error: 'Invalid priority' });

/**
 * Characters as JSON Schema counts them (code points), so that `maxLength` in the document and this check
 * agree on text outside the BMP, where `String.length` counts two.
 */
const characters = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

/**
 * A text field's length rule, on the raw string as sent (before any trimming), in characters; the
 * document's `maxLength` comes from the same number.
 */
const textUpTo = (max: number, field: string, base: z.ZodString) =>
  base
    .refine((text) => characters(text) <= max, `Field '${field}' must be at most ${max} characters`)
    .meta({ maxLength: max });

/** At most 200 characters as sent, and not empty or all white space (the pattern); stored trimmed. */
const TitleSchema = textUpTo(
  TASK_LIMITS.titleMaxLength,
  'title',
  z.string({
    error: (issue) => (issue.input === undefined ? "Field 'title' is required" : 'Must be a string'),
  }),
)
  .regex(/\S/, "Field 'title' must not be empty")
  .trim();

const DescriptionSchema = textUpTo(
  TASK_LIMITS.descriptionMaxLength,
  'description',
  z.string({ error: 'Must be a string' }),
);

/** An RFC 3339 full date (`2026-12-01`) or date-time with an offset (`2026-12-01T09:00:00+02:00`). */
export const DueDateSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'Must be an RFC 3339 date (YYYY-MM-DD) or date-time',
  })
  .meta({ examples: ['2026-12-01', '2026-12-01T17:00:00Z'] });

/** Checked before normalising, so the documented pattern (and API Gateway's model) accepts `Work `. */
const TAG_PATTERN = /^\s*[A-Za-z0-9][A-Za-z0-9_-]*\s*$/;

/** A tag is trimmed and lower-cased, so `Work ` and `work` are one tag. Its length counts as sent. */
export const TagSchema = z
  .string({ error: 'Must be a string' })
  .regex(TAG_PATTERN, 'A tag may hold only letters, digits, - and _, and starts with a letter or digit')
  .max(TASK_LIMITS.tagMaxLength, `A tag must be at most ${TASK_LIMITS.tagMaxLength} characters`)
  .trim()
  .toLowerCase();

const TagsSchema = z
  .array(TagSchema, { error: 'Must be an array of strings' })
  .max(TASK_LIMITS.maxTags, `At most ${TASK_LIMITS.maxTags} tags`)
  .transform((tags) => [...new Set(tags)]);

/**
 * What a client may send to create a task. Unknown keys (including the read-only `taskId`, `createdAt`,
 * `updatedAt`, `completedAt` and `version`) are dropped, so a client that echoes a task back can never set them.
 */
export const CreateTaskSchema = z.object({
  title: TitleSchema,
  description: DescriptionSchema.default(''),
  status: TaskStatusSchema.default('PENDING'),
  priority: TaskPrioritySchema.default('MEDIUM'),
  dueDate: DueDateSchema.optional(),
  tags: TagsSchema.default([]),
});
export type CreateTaskInput = z.infer<typeof CreateTaskSchema>;

/** A partial update: every field optional, at least one of them present. */
export const TaskPatchSchema = z
  .object({
    title: TitleSchema.optional(),
    description: DescriptionSchema.optional(),
    status: TaskStatusSchema.optional(),
    priority: TaskPrioritySchema.optional(),
    /** `null` removes the due date. */
    dueDate: DueDateSchema.nullable().optional(),
    tags: TagsSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'No valid fields to update')
  .meta({ minProperties: 1 });
export type TaskPatch = z.infer<typeof TaskPatchSchema>;

/** A stored task as clients see it. `version` counts writes and backs the ETag. */
export const TaskSchema = z.object({
  taskId: z.uuid(),
  title: z.string(),
  description: z.string(),
  status: TaskStatusSchema,
  priority: TaskPrioritySchema,
  dueDate: DueDateSchema.optional(),
  tags: z.array(z.string()).max(TASK_LIMITS.maxTags),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Set by the server when the status becomes DONE; absent otherwise. */
  completedAt: z.iso.datetime().optional(),
  version: z.int().min(1),
});
export type Task = z.infer<typeof TaskSchema>;

/** The fields a patch may change, in a stable order. */
export const PATCHABLE_FIELDS = [
  'title',
  'description',
  'status',
  'priority',
  'dueDate',
  'tags',
] as const satisfies readonly (keyof TaskPatch)[];

/** The instant a due date stands for, as a sortable UTC string: a bare date means its start in UTC. */
export function dueInstant(dueDate: string): string {
  return new Date(/T/i.test(dueDate) ? dueDate : `${dueDate}T00:00:00Z`).toISOString();
}

/** Priority and tags may be left out by callers that predate them; they get the schema's defaults. */
export type NewTaskInput = Pick<CreateTaskInput, 'title' | 'description' | 'status'> &
  Partial<CreateTaskInput>;

export function newTask(input: NewTaskInput, taskId: string, now: Date): Task {
  const at = now.toISOString();
  return {
    taskId,
    priority: 'MEDIUM',
    tags: [],
    ...input,
    createdAt: at,
    updatedAt: at,
    ...(input.status === 'DONE' && { completedAt: at }),
    version: 1,
  };
}

type SettableField = 'title' | 'description' | 'status' | 'priority' | 'dueDate' | 'tags' | 'updatedAt';

/**
 * A store-agnostic description of one update: fields to set, fields to remove, and fields to set only when
 * absent (`completedAt` keeps the first time a task was marked DONE). The adapter turns it into a single
 * conditional write, so the rules stay here and the write stays atomic.
 */
export interface TaskChange {
  readonly set: Partial<Pick<Task, SettableField>>;
  readonly remove: readonly ('dueDate' | 'completedAt')[];
  readonly setIfAbsent: Partial<Pick<Task, 'completedAt'>>;
}

export function planTaskChange(patch: TaskPatch, now: Date): TaskChange {
  const at = now.toISOString();
  const set: Record<string, unknown> = { updatedAt: at };
  const remove: TaskChange['remove'][number][] = [];
  for (const field of PATCHABLE_FIELDS) {
    const value = patch[field];
    if (value === null) remove.push(field as 'dueDate');
    else if (value !== undefined) set[field] = value;
  }
  const setIfAbsent: TaskChange['setIfAbsent'] = patch.status === 'DONE' ? { completedAt: at } : {};
  if (patch.status !== undefined && patch.status !== 'DONE') remove.push('completedAt');
  return { set: set as TaskChange['set'], remove, setIfAbsent };
}

/** Applies a change to a task in memory: used by the in-memory store and by tests as the reference model. */
export function applyTaskChange(task: Task, change: TaskChange): Task {
  const next: Record<string, unknown> = { ...change.setIfAbsent, ...task, ...change.set };
  for (const field of change.remove) delete next[field];
  return { ...(next as Task), version: task.version + 1 };
}
