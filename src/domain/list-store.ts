import type { ChangesQuery } from './change-feed.js';
import type { ListChange, ListMember, ListRole, MemberList, MemberRole, TaskList } from './task-list.js';
import type { WriteCondition } from './task-store.js';

export type { ListMember, ListRole, MemberList };

export interface ListPage {
  readonly items: readonly MemberList[];
  readonly nextCursor?: string;
}

export interface ListChangePage {
  readonly items: readonly ListChange[];
  readonly nextCursor?: string;
}

export interface MemberPage {
  readonly items: readonly ListMember[];
  readonly nextCursor?: string;
}

/**
 * The port of lists and their membership. Membership is what grants access: every request to a named
 * list reads the caller's membership item first (one strongly consistent GetItem), so a list deleted, or a
 * member removed, is a 404 on the very next request.
 */
export interface ListStore {
  /** Stores a new list and its owner's membership. */
  create(ownerId: string, list: TaskList): Promise<MemberList>;
  /** The caller's role in a named list, or undefined when it is not a member (or the list is gone). */
  roleOf(principalId: string, listId: string): Promise<ListRole | undefined>;
  /** A named list as the member sees it; undefined when it is not a member. */
  get(principalId: string, listId: string): Promise<MemberList | undefined>;
  /** The principal's default list, stored with its fixed id and title the first time it is asked for. */
  defaultList(ownerId: string, now: Date): Promise<MemberList>;
  /** The named lists the principal is a member of, in creation order, O(limit). */
  page(principalId: string, query: { limit: number; cursor?: string }): Promise<ListPage>;
  /** A new title in one conditional write; `PreconditionFailedError` carries the current version. */
  rename(
    principalId: string,
    listId: string,
    title: string,
    at: Date,
    condition?: WriteCondition,
  ): Promise<MemberList>;
  /**
   * The lists feed: the caller's lists changed in [since, until) (renamed, or its membership added or changed;
   * `updatedAt` is the later of the two), and a tombstone for each list deleted or left since, oldest first.
   * O(the principal's memberships, removed ones kept until their TTL included) per page.
   */
  changes(principalId: string, query: ChangesQuery): Promise<ListChangePage>;
  /** The members of a named list (owner included), in principal id order, O(limit). */
  members(listId: string, query: { limit: number; cursor?: string }): Promise<MemberPage>;
  /**
   * Adds a member or changes its role, and counts a new member on the list. Never touches the owner's
   * membership: that is an `OwnerMembershipError`. `added` says whether the principal was not a member.
   */
  setMember(
    listId: string,
    principalId: string,
    role: MemberRole,
    at: Date,
  ): Promise<{ member: ListMember; added: boolean }>;
  /**
   * Removes a member who is not the owner, and counts it off the list; false when it was not a member (or
   * is the owner). The removal holds from the next `roleOf`: memberships are read strongly consistent.
   */
  removeMember(listId: string, principalId: string, at: Date): Promise<boolean>;
  /**
   * Marks the list deleted (a tombstone the purge and the lists feed see) and removes its memberships, so
   * no request reaches it or its tasks any more; its tasks are purged after (`ListPurger`).
   */
  delete(listId: string, at: Date, condition?: WriteCondition): Promise<void>;
}

/**
 * Purges a deleted list's tasks in the background. On AWS that is the table's stream and the purge
 * function (src/lambda/purge.ts), so the task function's port does nothing; `npm start` runs the same
 * purge code in-process.
 */
export interface ListPurger {
  listDeleted(listId: string): void;
}
