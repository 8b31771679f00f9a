import { PreconditionFailedError, TaskNotFoundError } from '../domain/errors.js';
import type { ListPage, ListRole, ListStore, MemberList } from '../domain/list-store.js';
import { DEFAULT_LIST_ID, DEFAULT_LIST_TITLE, newTaskList, type TaskList } from '../domain/task-list.js';
import type { WriteCondition } from '../domain/task-store.js';

/**
 * An in-memory ListStore for unit tests and the handler benchmark, with the DynamoDB adapter's rules:
 * owners only, creation order, versions and conditions. Its cursor is the last list id, unsigned: it is
 * never served to a client.
 */
export class MemoryListStore implements ListStore {
  private readonly lists = new Map<string, TaskList & { ownerId: string }>();
  private readonly defaults = new Map<string, TaskList>();

  async create(ownerId: string, list: TaskList): Promise<MemberList> {
    this.lists.set(list.listId, { ...list, ownerId });
    return { ...list, role: 'owner' };
  }

  async roleOf(principalId: string, listId: string): Promise<ListRole | undefined> {
    return this.lists.get(listId)?.ownerId === principalId ? 'owner' : undefined;
  }

  async get(principalId: string, listId: string): Promise<MemberList | undefined> {
    const list = this.lists.get(listId);
    if (list?.ownerId !== principalId) return undefined;
    const { ownerId: _ownerId, ...rest } = list;
    return { ...rest, role: 'owner' };
  }

  async defaultList(ownerId: string, now: Date): Promise<MemberList> {
    let list = this.defaults.get(ownerId);
    if (!list) {
      list = newTaskList({ title: DEFAULT_LIST_TITLE }, DEFAULT_LIST_ID, now);
      this.defaults.set(ownerId, list);
    }
    return { ...list, role: 'owner' };
  }

  async page(principalId: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<ListPage> {
    const mine = [...this.lists.values()]
      .filter((list) => list.ownerId === principalId && (cursor === undefined || list.listId > cursor))
      .sort((a, b) => (a.listId < b.listId ? -1 : 1));
    const items = mine
      .slice(0, limit)
      .map(({ ownerId: _ownerId, ...list }) => ({ ...list, role: 'owner' as const }));
    const more = mine.length > limit;
    return { items, ...(more && { nextCursor: items.at(-1)?.listId ?? '' }) };
  }

  async rename(principalId: string, listId: string, title: string, at: Date, condition?: WriteCondition) {
    const current = listId === DEFAULT_LIST_ID ? this.defaults.get(principalId) : this.lists.get(listId);
    if (!current) throw new TaskNotFoundError();
    checked(current.version, condition);
    const next = { ...current, title, updatedAt: at.toISOString(), version: current.version + 1 };
    if (listId === DEFAULT_LIST_ID) this.defaults.set(principalId, next);
    else this.lists.set(listId, { ...next, ownerId: principalId });
    return {
      listId: next.listId,
      title,
      createdAt: next.createdAt,
      updatedAt: next.updatedAt,
      version: next.version,
      role: 'owner' as const,
    };
  }

  async delete(listId: string, _at: Date, condition?: WriteCondition): Promise<void> {
    const current = this.lists.get(listId);
    if (!current) throw new TaskNotFoundError();
    checked(current.version, condition);
    this.lists.delete(listId);
  }
}

function checked(version: number, condition: WriteCondition | undefined): void {
  if (condition?.versionIn && !condition.versionIn.includes(version))
    throw new PreconditionFailedError(version);
  if (condition?.versionNotIn?.includes(version)) throw new PreconditionFailedError(version);
}
