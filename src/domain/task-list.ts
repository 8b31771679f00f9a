import * as z from 'zod/mini';
import { DEFAULT_LIST_ID } from './default-list.js';
import { TitleSchema } from './task.js';

/**
 * Lists. Every task belongs to one. Each principal has a default list, named `@default` (as Google Tasks
 * names it) on every route, and `/tasks` is that list: it exists without being created, cannot be deleted
 * and is never shared. Other lists are made with `POST /lists` and named by a server-made UUID.
 */
export { DEFAULT_LIST_ID };
export const DEFAULT_LIST_TITLE = 'My Tasks';

/**
 * Which list a call addresses. `ownerId` is whose default list `@default` is; a named list is reached only
 * after the caller's membership was checked (`list-service.ts`), so a store never sees an unchecked id.
 */
export interface ListRef {
  readonly listId: string;
  /** Set for `@default`: the principal whose default list it is. */
  readonly ownerId?: string;
}

export const defaultListOf = (ownerId: string): ListRef => ({ listId: DEFAULT_LIST_ID, ownerId });
export const isDefaultList = (list: ListRef): boolean => list.listId === DEFAULT_LIST_ID;

/** What `POST /lists` and `PATCH /lists/{listId}` take: a title; anything else is dropped. */
export const ListInputSchema = z.object({ title: TitleSchema });
export type ListInput = z.infer<typeof ListInputSchema>;

/** A list as clients see it. `version` counts writes and backs the ETag, as a task's does. */
export const TaskListSchema = z.object({
  listId: z.string(),
  title: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().check(z.minimum(1)),
});
export type TaskList = z.infer<typeof TaskListSchema>;

/** What a member may do in a list. Every list has one `owner`; sharing (the next step) adds the others. */
export const LIST_ROLES = ['owner'] as const;
export type ListRole = (typeof LIST_ROLES)[number];

/** A list as one member sees it: with the caller's role. */
export const MemberListSchema = z.object({
  ...TaskListSchema.shape,
  role: z.enum(LIST_ROLES).check(z.meta({ description: "The caller's role in the list" })),
});
export type MemberList = z.infer<typeof MemberListSchema>;

/** A new list; the default list is made the same way, with its fixed id and title, on first sight. */
export function newTaskList(input: ListInput, listId: string, now: Date): TaskList {
  const at = now.toISOString();
  return { listId, title: input.title, createdAt: at, updatedAt: at, version: 1 };
}
