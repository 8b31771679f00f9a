/**
 * The task form's model, typed against the domain's task schema: `FORM_FIELDS` is a record over every field
 * a create accepts, so a field added to `CreateTaskSchema` fails the web typecheck until the form says how
 * to show it, send it and clear it. Pure functions only, unit-tested without a browser (task-form.test.ts).
 */
import { ValidationError } from '../../src/domain/errors.js';
import {
  type CreateTaskInput,
  TASK_LIMITS,
  TASK_PRIORITIES,
  type TaskPriority,
  type TaskStatus,
} from '../../src/domain/task.js';
import { parseCreateTask, parseTaskPatch } from '../../src/domain/validate.js';
import type { CreateTask, Task, TaskPatch } from './task-api.js';

/** Every status and priority of the domain, by the compiler, in the order the controls offer them. */
export const STATUS_LABELS: Record<TaskStatus, string> = {
  PENDING: 'To do',
  IN_PROGRESS: 'In progress',
  DONE: 'Done',
};
export const PRIORITY_LABELS: Record<TaskPriority, string> = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High' };

/**
 * The fields the form edits: all a create accepts but `status` (a new task starts To do, and a card
 * changes its status in place with its own control) and `parentId` (a task's place in the outline: the
 * parent's Add subtask sets it, and only a move changes it).
 */
export type FormField = Exclude<keyof CreateTaskInput, 'status' | 'parentId'>;

/** The form's state: each field as the text its control holds. */
export type Draft = { readonly [K in FormField]: string };

export type Control =
  | { readonly kind: 'text'; readonly maxLength: number }
  | { readonly kind: 'textarea'; readonly maxLength: number }
  | { readonly kind: 'date' }
  | { readonly kind: 'select'; readonly options: Readonly<Record<string, string>> }
  | { readonly kind: 'tags'; readonly maxLength: number; readonly hint: string };

interface FieldForm<K extends FormField> {
  readonly label: string;
  readonly control: Control;
  /** What a new task's form starts with. */
  readonly empty: string;
  /** The text the form shows for a task's value. */
  readonly textOf: (task: Task) => string;
  /** The value to send, or undefined when the text means "none" (a create then leaves the field out). */
  readonly valueOf: (text: string) => CreateTask[K] | undefined;
  /** What a patch sends when the user empties the field. */
  readonly cleared: TaskPatch[K];
}

/** Tags as typed: comma- or space-separated, each with or without the `#` the board shows them with. */
export const tagsOf = (text: string): string[] =>
  text
    .split(/[,\s]+/)
    .map((tag) => tag.replace(/^#+/, ''))
    .filter(Boolean);

export const FORM_FIELDS: { readonly [K in FormField]: FieldForm<K> } = {
  title: {
    label: 'Title',
    control: { kind: 'text', maxLength: TASK_LIMITS.titleMaxLength },
    empty: '',
    textOf: (task) => task.title,
    valueOf: (text) => text.trim(),
    cleared: '',
  },
  description: {
    label: 'Description',
    control: { kind: 'textarea', maxLength: TASK_LIMITS.descriptionMaxLength },
    empty: '',
    textOf: (task) => task.description,
    valueOf: (text) => text.trim() || undefined,
    cleared: '',
  },
  dueDate: {
    label: 'Due date',
    control: { kind: 'date' },
    empty: '',
    textOf: (task) => task.dueDate?.slice(0, 10) ?? '',
    valueOf: (text) => text || undefined,
    cleared: null,
  },
  priority: {
    label: 'Priority',
    control: { kind: 'select', options: PRIORITY_LABELS },
    empty: 'MEDIUM',
    textOf: (task) => task.priority,
    valueOf: (text) => TASK_PRIORITIES.find((priority) => priority === text),
    cleared: 'MEDIUM',
  },
  tags: {
    label: 'Tags',
    // Room for every tag at its longest, with a `#` and a separator each.
    control: {
      kind: 'tags',
      maxLength: TASK_LIMITS.maxTags * (TASK_LIMITS.tagMaxLength + 3),
      hint: `Up to ${TASK_LIMITS.maxTags}, separated by commas, e.g. #work, home`,
    },
    empty: '',
    textOf: (task) => task.tags.map((tag) => `#${tag}`).join(', '),
    valueOf: (text) => (tagsOf(text).length > 0 ? tagsOf(text) : undefined),
    cleared: [],
  },
};

/** The fields in the order the form shows them. */
export const FIELD_ORDER = Object.keys(FORM_FIELDS) as FormField[];

const draftWith = (textOf: (field: FormField) => string): Draft =>
  Object.fromEntries(FIELD_ORDER.map((field) => [field, textOf(field)])) as Draft;

export const EMPTY_DRAFT: Draft = draftWith((field) => FORM_FIELDS[field].empty);

export const draftOf = (task: Task): Draft => draftWith((field) => FORM_FIELDS[field].textOf(task));

/** Sets one field of a create body, or leaves it out when its text means "none". */
function putCreate<K extends FormField>(body: Partial<CreateTask>, field: K, text: string): void {
  const value = FORM_FIELDS[field].valueOf(text);
  if (value !== undefined) body[field] = value;
}

/** The create body a draft stands for. */
export function bodyOf(draft: Draft): CreateTask {
  const body: Partial<CreateTask> = {};
  for (const field of FIELD_ORDER) putCreate(body, field, draft[field]);
  return { ...body, title: FORM_FIELDS.title.valueOf(draft.title) ?? '' };
}

function putPatch<K extends FormField>(patch: TaskPatch, field: K, text: string): void {
  patch[field] = FORM_FIELDS[field].valueOf(text) ?? FORM_FIELDS[field].cleared;
}

/** Only the fields the user changed: an unchanged edit sends nothing, and a date-time due date survives. */
export function patchOf(draft: Draft, task: Task): TaskPatch {
  const patch: TaskPatch = {};
  for (const field of FIELD_ORDER)
    if (draft[field] !== FORM_FIELDS[field].textOf(task)) putPatch(patch, field, draft[field]);
  return patch;
}

/**
 * A draft begun on `from`, moved onto `to` (the current version, after a 412): the fields the user changed
 * keep the user's text, the others show the current values, so applying the draft again overwrites only
 * what the user meant to change.
 */
export const rebaseDraft = (draft: Draft, from: Task, to: Task): Draft =>
  draftWith((field) => {
    const { textOf } = FORM_FIELDS[field];
    return draft[field] === textOf(from) ? textOf(to) : draft[field];
  });

export type FieldErrors = Partial<Record<FormField, string>> & { readonly form?: string };

/** Field rule breaks (the API's `errors`, or the same schema run here) by field; the rest under `form`. */
export function fieldErrorsFrom(entries: readonly { field: string; message: string }[]): FieldErrors {
  const errors: Record<string, string> = {};
  for (const { field, message } of entries) {
    const top = field.split('.')[0] ?? field;
    const key = top in FORM_FIELDS ? top : 'form';
    errors[key] ??= message;
  }
  return errors;
}

/** The API's own rules, run before sending: the same schema, so the same messages, even offline. */
export function checkBody(body: CreateTask): FieldErrors {
  return checked(() => parseCreateTask(body));
}

export function checkPatch(patch: TaskPatch): FieldErrors {
  return checked(() => parseTaskPatch(patch));
}

function checked(parse: () => unknown): FieldErrors {
  try {
    parse();
    return {};
  } catch (error) {
    if (error instanceof ValidationError) return fieldErrorsFrom(error.fieldErrors);
    throw error;
  }
}

export const hasErrors = (errors: FieldErrors): boolean => Object.keys(errors).length > 0;
