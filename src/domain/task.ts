// Long on purpose (~260 lines): the task's schemas, limits and the rules that make and change one; split, a field would live in more than one place.
import { en } from 'zod/locales';
// zod/mini: the same library as classic zod, at a fraction of its import time (cold start).
import * as z from 'zod/mini';
import { DEFAULT_LIST_ID } from './default-list.js';
import { positionAt } from './task-order.js';

// zod/mini starts without messages; for any rule without its own, classic zod's English ones.
z.config(en());

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
const textUpTo = (max: number, field: string, base: z.ZodMiniString<string>) =>
  base.check(
    z.refine((text: string) => characters(text) <= max, `Field '${field}' must be at most ${max} characters`),
    z.meta({ maxLength: max }),
  );

/** At most 200 characters as sent, and not empty or all white space (the pattern); stored trimmed. */
export const TitleSchema = textUpTo(
  TASK_LIMITS.titleMaxLength,
  'title',
  z.string({
    error: (issue) => (issue.input === undefined ? "Field 'title' is required" : 'Must be a string'),
  }),
).check(z.regex(/\S/, "Field 'title' must not be empty"), z.trim());

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
  .check(z.meta({ examples: ['2026-12-01', '2026-12-01T17:00:00Z'] }));

/** Checked before normalising, so the documented pattern (and API Gateway's model) accepts `Work `. */
const TAG_PATTERN = /^\s*[A-Za-z0-9][A-Za-z0-9_-]*\s*$/;

/** A tag is trimmed and lower-cased, so `Work ` and `work` are one tag. Its length counts as sent. */
export const TagSchema = z
  .string({ error: 'Must be a string' })
  .check(
    z.regex(TAG_PATTERN, 'A tag may hold only letters, digits, - and _, and starts with a letter or digit'),
    z.maxLength(TASK_LIMITS.tagMaxLength, `A tag must be at most ${TASK_LIMITS.tagMaxLength} characters`),
    z.trim(),
    z.toLowerCase(),
  );

const TagsSchema = z.pipe(
  z
    .array(TagSchema, { error: 'Must be an array of strings' })
    .check(z.maxLength(TASK_LIMITS.maxTags, `At most ${TASK_LIMITS.maxTags} tags`)),
  z.transform((tags: string[]) => [...new Set(tags)]),
);

/**
 * What a client may send to create a task. Unknown keys (including the read-only `taskId`, `createdAt`,
 * `updatedAt`, `completedAt` and `version`) are dropped, so a client that echoes a task back can never set them.
 */
export const CreateTaskSchema = z.object({
  title: TitleSchema,
  description: z._default(DescriptionSchema, ''),
  status: z._default(TaskStatusSchema, 'PENDING'),
  priority: z._default(TaskPrioritySchema, 'MEDIUM'),
  dueDate: z.optional(DueDateSchema),
  tags: z._default(TagsSchema, []),
  /** Makes the task a subtask of this one, a top-level task of the same list; set only on create. */
  parentId: z.optional(z.uuid({ error: "Field 'parentId' must be a task id" })),
});
export type CreateTaskInput = z.infer<typeof CreateTaskSchema>;

/** A partial update: every field optional, at least one of them present. */
export const TaskPatchSchema = z
  .object({
    title: z.optional(TitleSchema),
    description: z.optional(DescriptionSchema),
    status: z.optional(TaskStatusSchema),
    priority: z.optional(TaskPrioritySchema),
    /** `null` removes the due date. */
    dueDate: z.optional(z.nullable(DueDateSchema)),
    tags: z.optional(TagsSchema),
  })
  .check(
    z.refine(
      (patch: Record<string, unknown>) => Object.values(patch).some((value) => value !== undefined),
      'No valid fields to update',
    ),
    z.meta({ minProperties: 1 }),
  );
export type TaskPatch = z.infer<typeof TaskPatchSchema>;

/** A stored task as clients see it. `version` counts writes and backs the ETag. */
export const TaskSchema = z.object({
  taskId: z.uuid(),
  /** The list the task is in: `@default`, or a list's id. */
  listId: z.string(),
  /** The parent of a subtask; absent on a top-level task. */
  parentId: z.optional(z.uuid()),
  /** Manual order among its siblings, byte-wise (`domain/task-order.ts`); changed only by a move. */
  position: z.string(),
  title: z.string(),
  description: z.string(),
  status: TaskStatusSchema,
  priority: TaskPrioritySchema,
  dueDate: z.optional(DueDateSchema),
  tags: z.array(z.string()).check(z.maxLength(TASK_LIMITS.maxTags)),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Set by the server when the status becomes DONE; absent otherwise. */
  completedAt: z.optional(z.iso.datetime()),
  version: z.int().check(z.minimum(1)),
});
export type Task = z.infer<typeof TaskSchema>;

/** The fields a client sends: those a create may set and a patch may change (the patch schema's keys). */
export type ClientField = keyof TaskPatch;
/** The fields a patch may remove with `null`: those whose patch schema accepts null. */
export type NullableField = { [K in ClientField]-?: null extends TaskPatch[K] ? K : never }[ClientField];
/** The fields only the server writes. */
export const SERVER_FIELDS = [
  'taskId',
  'listId',
  'position',
  'createdAt',
  'updatedAt',
  'completedAt',
  'version',
] as const;
type ServerField = (typeof SERVER_FIELDS)[number];
/** What a create may set and nothing may change later but a move: the place in the outline. */
type PlacementField = 'parentId';

/** The keys one of two key sets has and the other lacks. */
type OnlyInOne<A, B> = Exclude<A, B> | Exclude<B, A>;

/**
 * The three schemas name the same client fields, and a task holds exactly those and the server's: a field
 * added to one schema and not to the others fails typecheck here, naming the field.
 */
export const TASK_SCHEMAS_AGREE: Record<
  | OnlyInOne<keyof CreateTaskInput, ClientField | PlacementField>
  | OnlyInOne<keyof Task, ClientField | ServerField | PlacementField>,
  'is in one task schema, not all three'
> = {};

const isClientField = (key: string): key is ClientField => key in TaskPatchSchema.shape;

/** The fields a patch may change, in the schema's order: read off the patch schema, so none is missing. */
export const PATCHABLE_FIELDS: readonly ClientField[] = Object.freeze(
  Object.keys(TaskPatchSchema.shape).filter(isClientField),
);

/** Whether a patch may send `null` for the field (the patch schema says so), to remove it. */
export const isNullableField = (field: ClientField): field is NullableField =>
  TaskPatchSchema.shape[field].safeParse(null).success;

/** The instant a due date stands for, as a sortable UTC string: a bare date means its start in UTC. */
export function dueInstant(dueDate: string): string {
  return new Date(/T/i.test(dueDate) ? dueDate : `${dueDate}T00:00:00Z`).toISOString();
}

/** Priority and tags may be left out by callers that predate them; they get the schema's defaults. */
export type NewTaskInput = Pick<CreateTaskInput, 'title' | 'description' | 'status'> &
  Partial<CreateTaskInput>;

/** Where a new task goes: its list and its position there (`positionAt` its creation, by default). */
export interface NewTaskPlace {
  readonly listId: string;
  readonly position: string;
}

/** A new task; without a place, it goes last in the default list. */
export function newTask(
  input: NewTaskInput,
  taskId: string,
  now: Date,
  place: NewTaskPlace = { listId: DEFAULT_LIST_ID, position: positionAt(now) },
): Task {
  const at = now.toISOString();
  return {
    taskId,
    priority: 'MEDIUM',
    tags: [],
    ...input,
    ...place,
    createdAt: at,
    updatedAt: at,
    ...(input.status === 'DONE' && { completedAt: at }),
    version: 1,
  };
}

/** The value of each client field as a task holds it (never null: a null in a patch removes the field). */
export type ClientFieldValues = { [K in ClientField]-?: NonNullable<TaskPatch[K]> };
/** A patch, seen field by field: a value, null, or nothing (TaskPatch is one of these). */
type PatchOfValues = { [K in ClientField]?: ClientFieldValues[K] | null };

/**
 * A store-agnostic description of one update: fields to set, fields to remove, and fields to set only when
 * absent (`completedAt` keeps the first time a task was marked DONE). The adapter turns it into a single
 * conditional write, so the rules stay here and the write stays atomic.
 */
export interface TaskChange {
  readonly set: Readonly<Partial<ClientFieldValues> & { updatedAt?: string }>;
  readonly remove: readonly (NullableField | 'completedAt')[];
  readonly setIfAbsent: Partial<Pick<Task, 'completedAt'>>;
}

/** Copies one field of a patch into the change: a value is set, a null removes a nullable field. */
function planField<K extends ClientField>(
  field: K,
  patch: PatchOfValues,
  set: Partial<ClientFieldValues>,
  remove: TaskChange['remove'][number][],
): void {
  const value = patch[field];
  if (value === null) {
    if (isNullableField(field)) remove.push(field);
  } else if (value !== undefined) set[field] = value;
}

export function planTaskChange(patch: TaskPatch, now: Date): TaskChange {
  const at = now.toISOString();
  const set: Partial<ClientFieldValues> = {};
  const remove: TaskChange['remove'][number][] = [];
  for (const field of PATCHABLE_FIELDS) planField(field, patch, set, remove);
  const setIfAbsent: TaskChange['setIfAbsent'] = patch.status === 'DONE' ? { completedAt: at } : {};
  if (patch.status !== undefined && patch.status !== 'DONE') remove.push('completedAt');
  return { set: { updatedAt: at, ...set }, remove, setIfAbsent };
}

/** Applies a change to a task in memory: used by the in-memory store and by tests as the reference model. */
export function applyTaskChange(task: Task, change: TaskChange): Task {
  const next: Task = { ...change.setIfAbsent, ...task, ...change.set };
  for (const field of change.remove) delete next[field];
  return { ...next, version: task.version + 1 };
}
