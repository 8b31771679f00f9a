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

/**
 * What a member may do in a list. Every list has one `owner`, its creator; the owner shares it with
 * `editor`s (read and write its tasks, rename it) and `viewer`s (read only). docs/api.md ("Sharing").
 */
export const LIST_ROLES = ['owner', 'editor', 'viewer'] as const;
export type ListRole = (typeof LIST_ROLES)[number];
/** The roles the owner gives: ownership itself is never handed out this way. */
export const MEMBER_ROLES = ['editor', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** What a request needs of the caller: read the list, write its tasks (or its title), or manage it. */
export type ListAccess = 'read' | 'write' | 'manage';

/** The one table of rights: each role, what it may do. */
export const ROLE_ACCESS: Readonly<Record<ListRole, readonly ListAccess[]>> = Object.freeze({
  owner: ['read', 'write', 'manage'],
  editor: ['read', 'write'],
  viewer: ['read'],
});

export const mayAccess = (role: ListRole, need: ListAccess): boolean => ROLE_ACCESS[role].includes(need);

/** What `PUT /lists/{listId}/members/{principalId}` takes. */
export const MemberInputSchema = z.object({
  role: z.enum(MEMBER_ROLES).check(z.meta({ description: 'The role to give: `editor` or `viewer`' })),
});
export type MemberInput = z.infer<typeof MemberInputSchema>;

/** A member of a list, as `GET /lists/{listId}/members` shows it. */
export const ListMemberSchema = z.object({
  principalId: z.string(),
  role: z.enum(LIST_ROLES),
});
export type ListMember = z.infer<typeof ListMemberSchema>;

/** A list as one member sees it: with the caller's role and how many members it has. */
export const MemberListSchema = z.object({
  ...TaskListSchema.shape,
  role: z.enum(LIST_ROLES).check(z.meta({ description: "The caller's role in the list" })),
  memberCount: z
    .int()
    .check(z.minimum(1), z.meta({ description: 'How many members the list has, the owner included' })),
});
export type MemberList = z.infer<typeof MemberListSchema>;

/** A new list; the default list is made the same way, with its fixed id and title, on first sight. */
export function newTaskList(input: ListInput, listId: string, now: Date): TaskList {
  const at = now.toISOString();
  return { listId, title: input.title, createdAt: at, updatedAt: at, version: 1 };
}

/** A list the caller no longer reaches (deleted, or the caller removed from it), as the lists feed shows it. */
export const ListTombstoneSchema = z.object({
  listId: z.string(),
  deleted: z.literal(true),
  updatedAt: z.iso.datetime(),
});
export type ListTombstone = z.infer<typeof ListTombstoneSchema>;
export type ListChange = MemberList | ListTombstone;
