import type { ChangesQuery } from '../domain/change-feed.js';
import {
  LimitReachedError,
  OwnerMembershipError,
  PreconditionFailedError,
  TaskNotFoundError,
} from '../domain/errors.js';
import { LIMITS, type Limits, limitMessage } from '../domain/limits.js';
import { changedList, feedPage, listTombstone } from '../domain/list-feed.js';
import type {
  ListChangePage,
  ListPage,
  ListRole,
  ListStore,
  MemberList,
  MemberPage,
} from '../domain/list-store.js';
import {
  DEFAULT_LIST_ID,
  DEFAULT_LIST_TITLE,
  type ListChange,
  type MemberRole,
  newTaskList,
  type TaskList,
} from '../domain/task-list.js';
import type { WriteCondition } from '../domain/task-store.js';

/**
 * An in-memory ListStore for unit tests and the handler benchmark, with the DynamoDB adapter's rules:
 * memberships and roles, creation order, versions and conditions. Its cursors are the last id, unsigned:
 * they are never served to a client.
 */
export class MemoryListStore implements ListStore {
  private readonly lists = new Map<string, TaskList>();
  /** listId → principalId → role; the owner included. */
  private readonly memberships = new Map<string, Map<string, ListRole>>();
  private readonly defaults = new Map<string, TaskList>();
  /** `<listId> <principalId>` → when the membership last changed. */
  private readonly memberAt = new Map<string, string>();
  /** principalId → listId → when the principal lost the list (removed, or the list deleted). */
  private readonly gone = new Map<string, Map<string, string>>();

  /** `limits`: the caps (`LIMITS`), smaller in a test. */
  constructor(private readonly limits: Limits = LIMITS) {}

  /** A principal's lists: those it owns, and those it is a member of (owned included). */
  private countsOf(principalId: string) {
    const roles = [...this.memberships.values()].map((members) => members.get(principalId));
    return {
      owned: roles.filter((role) => role === 'owner').length,
      memberships: roles.filter((role) => role !== undefined).length,
    };
  }

  /** Throws when one more list (owned too when `owning`) would pass a cap of the principal's. */
  private checkCaps(principalId: string, owning: boolean): void {
    const { owned, memberships } = this.countsOf(principalId);
    if (owning && owned >= this.limits.listsOwned)
      throw new LimitReachedError('listsOwned', limitMessage('listsOwned', owned, this.limits.listsOwned));
    if (memberships >= this.limits.memberships)
      throw new LimitReachedError(
        'memberships',
        limitMessage('memberships', memberships, this.limits.memberships),
      );
  }

  private touch(listId: string, principalId: string, at: string): void {
    this.memberAt.set(`${listId} ${principalId}`, at);
    this.gone.get(principalId)?.delete(listId);
  }

  private lose(listId: string, principalId: string, at: string): void {
    this.memberAt.delete(`${listId} ${principalId}`);
    const lost = this.gone.get(principalId) ?? new Map<string, string>();
    this.gone.set(principalId, lost.set(listId, at));
  }

  private view(list: TaskList, role: ListRole): MemberList {
    return { ...list, role, memberCount: this.memberships.get(list.listId)?.size ?? 1 };
  }

  async create(ownerId: string, list: TaskList): Promise<MemberList> {
    this.checkCaps(ownerId, true);
    this.lists.set(list.listId, { ...list });
    this.memberships.set(list.listId, new Map([[ownerId, 'owner']]));
    this.touch(list.listId, ownerId, list.createdAt);
    return this.view(list, 'owner');
  }

  async roleOf(principalId: string, listId: string): Promise<ListRole | undefined> {
    return this.lists.has(listId) ? this.memberships.get(listId)?.get(principalId) : undefined;
  }

  async get(principalId: string, listId: string): Promise<MemberList | undefined> {
    const list = this.lists.get(listId);
    const role = await this.roleOf(principalId, listId);
    return list && role ? this.view(list, role) : undefined;
  }

  async defaultList(ownerId: string, now: Date): Promise<MemberList> {
    let list = this.defaults.get(ownerId);
    if (!list) {
      list = newTaskList({ title: DEFAULT_LIST_TITLE }, DEFAULT_LIST_ID, now);
      this.defaults.set(ownerId, list);
    }
    return { ...list, role: 'owner', memberCount: 1 };
  }

  async page(principalId: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<ListPage> {
    const mine = [...this.lists.values()]
      .filter((list) => this.memberships.get(list.listId)?.has(principalId))
      .filter((list) => cursor === undefined || list.listId > cursor)
      .sort((a, b) => (a.listId < b.listId ? -1 : 1));
    const items = mine
      .slice(0, limit)
      .map((list) => this.view(list, this.memberships.get(list.listId)?.get(principalId) ?? 'viewer'));
    const more = mine.length > limit;
    return { items, ...(more && { nextCursor: items.at(-1)?.listId ?? '' }) };
  }

  async rename(principalId: string, listId: string, title: string, at: Date, condition?: WriteCondition) {
    const current = listId === DEFAULT_LIST_ID ? this.defaults.get(principalId) : this.lists.get(listId);
    if (!current) throw new TaskNotFoundError();
    checked(current.version, condition);
    const next = { ...current, title, updatedAt: at.toISOString(), version: current.version + 1 };
    if (listId === DEFAULT_LIST_ID) {
      this.defaults.set(principalId, next);
      return { ...next, role: 'owner' as const, memberCount: 1 };
    }
    this.lists.set(listId, next);
    return this.view(next, (await this.roleOf(principalId, listId)) ?? 'owner');
  }

  async members(listId: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<MemberPage> {
    const all = [...(this.memberships.get(listId) ?? new Map<string, ListRole>())]
      .filter(([principalId]) => cursor === undefined || principalId > cursor)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([principalId, role]) => ({ principalId, role }));
    const items = all.slice(0, limit);
    return { items, ...(all.length > limit && { nextCursor: items.at(-1)?.principalId ?? '' }) };
  }

  async changes(principalId: string, query: ChangesQuery): Promise<ListChangePage> {
    const { after, until } = query.cursor
      ? (JSON.parse(query.cursor) as { after: string; until: string })
      : { after: undefined, until: query.until };
    const changes: ListChange[] = [...this.lists.values()].flatMap((list) => {
      const role = this.memberships.get(list.listId)?.get(principalId);
      const at = this.memberAt.get(`${list.listId} ${principalId}`);
      return role ? [changedList(this.view(list, role), at)] : [];
    });
    for (const [listId, at] of this.gone.get(principalId) ?? []) changes.push(listTombstone(listId, at));
    const own = this.defaults.get(principalId);
    if (own) changes.push({ ...own, role: 'owner', memberCount: 1 });
    const { items, next } = feedPage(changes, {
      since: query.since,
      until,
      limit: query.limit,
      ...(after !== undefined && { after }),
    });
    return { items, ...(next !== undefined && { nextCursor: JSON.stringify({ after: next, until }) }) };
  }

  async setMember(listId: string, principalId: string, role: MemberRole, at: Date) {
    const members = this.memberships.get(listId);
    if (!members || !this.lists.has(listId)) throw new TaskNotFoundError();
    const before = members.get(principalId);
    if (before === 'owner') throw new OwnerMembershipError("The owner's role cannot be changed");
    if (before === undefined) {
      if (members.size >= this.limits.membersPerList)
        throw new LimitReachedError(
          'membersPerList',
          limitMessage('membersPerList', members.size, this.limits.membersPerList),
        );
      this.checkCaps(principalId, false);
    }
    members.set(principalId, role);
    this.touch(listId, principalId, at.toISOString());
    return { member: { principalId, role }, added: before === undefined };
  }

  async removeMember(listId: string, principalId: string, at: Date): Promise<boolean> {
    const members = this.memberships.get(listId);
    if (!members?.has(principalId) || members.get(principalId) === 'owner') return false;
    members.delete(principalId);
    this.lose(listId, principalId, at.toISOString());
    return true;
  }

  async delete(listId: string, at: Date, condition?: WriteCondition): Promise<void> {
    const current = this.lists.get(listId);
    if (!current) throw new TaskNotFoundError();
    checked(current.version, condition);
    for (const principalId of this.memberships.get(listId)?.keys() ?? [])
      this.lose(listId, principalId, at.toISOString());
    this.lists.delete(listId);
    this.memberships.delete(listId);
  }
}

function checked(version: number, condition: WriteCondition | undefined): void {
  if (condition?.versionIn && !condition.versionIn.includes(version))
    throw new PreconditionFailedError(version);
  if (condition?.versionNotIn?.includes(version)) throw new PreconditionFailedError(version);
}
