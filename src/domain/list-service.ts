import { DefaultListUndeletableError, ListNotFoundError, TaskNotFoundError } from './errors.js';
import type { ListPage, ListPurger, ListStore, MemberList } from './list-store.js';
import { DEFAULT_LIST_ID, defaultListOf, type ListInput, type ListRef, newTaskList } from './task-list.js';
import type { WriteCondition } from './task-store.js';

export interface ListServiceDeps {
  readonly lists: ListStore;
  readonly purger: ListPurger;
  readonly now: () => Date;
  readonly newId: () => string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The list use cases, and the one gate to a list's tasks: `listFor` turns a path's `{listId}` into the
 * `ListRef` the task service works on, only for a member. `@default` is the caller's own and costs no read.
 */
export function makeListService({ lists, purger, now, newId }: ListServiceDeps) {
  /** A named list's id as stored, or a 404 before any read when it cannot be one. */
  const checkListId = (listId: string): string => {
    if (!UUID.test(listId)) throw new ListNotFoundError();
    return listId.toLowerCase();
  };

  async function memberList(principalId: string, listId: string): Promise<MemberList> {
    if (listId === DEFAULT_LIST_ID) return lists.defaultList(principalId, now());
    const list = await lists.get(principalId, checkListId(listId));
    if (!list) throw new ListNotFoundError();
    return list;
  }

  return {
    /** The list a task route names, once the caller is found to be a member; a 404 otherwise. */
    async listFor(principalId: string, listId: string): Promise<ListRef> {
      if (listId === DEFAULT_LIST_ID) return defaultListOf(principalId);
      const id = checkListId(listId);
      if (!(await lists.roleOf(principalId, id))) throw new ListNotFoundError();
      return { listId: id };
    },

    createList: (ownerId: string, input: ListInput): Promise<MemberList> =>
      lists.create(ownerId, newTaskList(input, newId(), now())),

    getList: memberList,

    /** The default list first, then the others in creation order; the cursor pages the others. */
    async listLists(principalId: string, query: { limit: number; cursor?: string }): Promise<ListPage> {
      const page = await lists.page(principalId, {
        limit: query.cursor === undefined ? query.limit - 1 : query.limit,
        ...(query.cursor !== undefined && { cursor: query.cursor }),
      });
      if (query.cursor !== undefined) return page;
      const first = await lists.defaultList(principalId, now());
      return { ...page, items: [first, ...page.items] };
    },

    async renameList(principalId: string, listId: string, input: ListInput, condition?: WriteCondition) {
      if (listId !== DEFAULT_LIST_ID) await memberList(principalId, listId);
      else await lists.defaultList(principalId, now()); // stored before its first rename
      const id = listId === DEFAULT_LIST_ID ? listId : checkListId(listId);
      return lists.rename(principalId, id, input.title, now(), condition).catch((error: unknown) => {
        throw error instanceof TaskNotFoundError ? new ListNotFoundError({ cause: error }) : error;
      });
    },

    /** Answers at once: the list and its tasks are unreachable now, and its tasks are purged after. */
    async deleteList(principalId: string, listId: string, condition?: WriteCondition): Promise<void> {
      if (listId === DEFAULT_LIST_ID) throw new DefaultListUndeletableError();
      await memberList(principalId, listId);
      const id = checkListId(listId);
      await lists.delete(id, now(), condition).catch((error: unknown) => {
        throw error instanceof TaskNotFoundError ? new ListNotFoundError({ cause: error }) : error;
      });
      purger.listDeleted(id);
    },
  };
}

export type ListService = ReturnType<typeof makeListService>;
