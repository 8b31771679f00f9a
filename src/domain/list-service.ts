import { assertRetained, horizonOf } from './change-feed.js';
import {
  DefaultListPrivateError,
  DefaultListUndeletableError,
  ListForbiddenError,
  ListNotFoundError,
  MemberNotFoundError,
  OwnerMembershipError,
  TaskNotFoundError,
  ValidationError,
} from './errors.js';
import { isServerId } from './ids.js';
import type {
  ListChangePage,
  ListPage,
  ListPurger,
  ListRole,
  ListStore,
  MemberList,
  MemberPage,
} from './list-store.js';
import { PRINCIPAL_ID_PATTERN, PRINCIPAL_ID_RULE } from './principal-id.js';
import {
  DEFAULT_LIST_ID,
  defaultListOf,
  type ListAccess,
  type ListInput,
  type ListMember,
  type ListRef,
  type MemberInput,
  mayAccess,
  newTaskList,
} from './task-list.js';
import type { WriteCondition } from './task-store.js';

export interface ListServiceDeps {
  readonly lists: ListStore;
  readonly purger: ListPurger;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The lists feed's settle time (`FEED_LIMITS.settleMs` unless a test shortens it). */
  readonly feedSettleMs?: number;
}

/**
 * The list use cases, and the one gate to a list's tasks: `listFor` turns a path's `{listId}` into the
 * `ListRef` the task service works on, only for a member whose role allows what the request needs.
 * `@default` is the caller's own and costs no read. A non-member gets 404, never 403, so a list's existence
 * never leaks; a member without the right gets 403.
 */
export function makeListService({ lists, purger, now, newId, feedSettleMs }: ListServiceDeps) {
  /** A named list's id as stored, or a 404 before any read when it cannot be one. */
  const checkListId = (listId: string): string => {
    if (!isServerId(listId)) throw new ListNotFoundError();
    return listId.toLowerCase();
  };

  /** The caller's role in a named list, if it allows `need`: a 404 for a non-member, a 403 for too small a role. */
  async function roleFor(principalId: string, listId: string, need: ListAccess): Promise<ListRole> {
    const role = await lists.roleOf(principalId, listId);
    if (!role) throw new ListNotFoundError();
    if (!mayAccess(role, need)) throw new ListForbiddenError(role, need);
    return role;
  }

  async function memberList(principalId: string, listId: string): Promise<MemberList> {
    if (listId === DEFAULT_LIST_ID) return lists.defaultList(principalId, now());
    const list = await lists.get(principalId, checkListId(listId));
    if (!list) throw new ListNotFoundError();
    return list;
  }

  /** A named list the caller may share: never the default list. */
  const shareableId = (listId: string): string => {
    if (listId === DEFAULT_LIST_ID) throw new DefaultListPrivateError();
    return checkListId(listId);
  };

  /** A principal id a member route names: what an authorizer can establish, or a 400 before any read. */
  const checkPrincipalId = (principalId: string): string => {
    if (!PRINCIPAL_ID_PATTERN.test(principalId))
      throw new ValidationError(
        `Path parameter principalId must be ${PRINCIPAL_ID_RULE} (a token's name or a JWT's sub)`,
        [{ field: 'principalId', message: 'Invalid principal id' }],
      );
    return principalId;
  };

  return {
    /** The list a task route names, once the caller is found to be a member; a 404 otherwise. */
    async listFor(principalId: string, listId: string, need: ListAccess): Promise<ListRef> {
      if (listId === DEFAULT_LIST_ID) return defaultListOf(principalId);
      const id = checkListId(listId);
      await roleFor(principalId, id, need);
      return { listId: id };
    },

    createList: (ownerId: string, input: ListInput): Promise<MemberList> =>
      lists.create(ownerId, newTaskList(input, newId(), now())),

    getList: memberList,

    /**
     * The default list first, then the others in creation order; the cursor pages the others. With
     * `updatedSince`, the lists feed: lists changed since, and tombstones of lists deleted or left.
     */
    async listLists(
      principalId: string,
      query: { limit: number; cursor?: string; updatedSince?: string },
    ): Promise<ListPage | ListChangePage> {
      if (query.updatedSince !== undefined) {
        const at = now();
        assertRetained(query.updatedSince, at);
        return lists.changes(principalId, {
          since: query.updatedSince,
          until: horizonOf(at, feedSettleMs),
          limit: query.limit,
          ...(query.cursor !== undefined && { cursor: query.cursor }),
        });
      }
      const page = await lists.page(principalId, {
        limit: query.cursor === undefined ? query.limit - 1 : query.limit,
        ...(query.cursor !== undefined && { cursor: query.cursor }),
      });
      if (query.cursor !== undefined) return page;
      const first = await lists.defaultList(principalId, now());
      return { ...page, items: [first, ...page.items] };
    },

    async renameList(principalId: string, listId: string, input: ListInput, condition?: WriteCondition) {
      if (listId !== DEFAULT_LIST_ID) await roleFor(principalId, checkListId(listId), 'write');
      else await lists.defaultList(principalId, now()); // stored before its first rename
      const id = listId === DEFAULT_LIST_ID ? listId : checkListId(listId);
      return lists.rename(principalId, id, input.title, now(), condition).catch((error: unknown) => {
        throw error instanceof TaskNotFoundError ? new ListNotFoundError({ cause: error }) : error;
      });
    },

    /** Answers at once: the list and its tasks are unreachable now, and its tasks are purged after. */
    async deleteList(principalId: string, listId: string, condition?: WriteCondition): Promise<void> {
      if (listId === DEFAULT_LIST_ID) throw new DefaultListUndeletableError();
      const id = checkListId(listId);
      await roleFor(principalId, id, 'manage');
      await lists.delete(id, now(), condition).catch((error: unknown) => {
        throw error instanceof TaskNotFoundError ? new ListNotFoundError({ cause: error }) : error;
      });
      purger.listDeleted(id);
    },

    /** Every member may see who else is in the list. The default list has one member, its owner. */
    async listMembers(
      principalId: string,
      listId: string,
      query: { limit: number; cursor?: string },
    ): Promise<MemberPage> {
      if (listId === DEFAULT_LIST_ID)
        return query.cursor === undefined && query.limit > 0
          ? { items: [{ principalId, role: 'owner' }] }
          : { items: [] };
      const id = checkListId(listId);
      await roleFor(principalId, id, 'read');
      return lists.members(id, query);
    },

    /** The owner adds a member or changes one's role; its own role is not the owner's to change. */
    async setMember(
      principalId: string,
      listId: string,
      memberId: string,
      input: MemberInput,
    ): Promise<{ member: ListMember; added: boolean }> {
      const id = shareableId(listId);
      const target = checkPrincipalId(memberId);
      await roleFor(principalId, id, 'manage');
      if (target === principalId)
        throw new OwnerMembershipError(
          "The owner's role cannot be changed: the owner is the list's one owner while it exists",
        );
      return lists.setMember(id, target, input.role, now()).catch((error: unknown) => {
        throw error instanceof TaskNotFoundError ? new ListNotFoundError({ cause: error }) : error;
      });
    },

    /**
     * The owner removes any other member; any member removes itself, which is leaving. The owner cannot
     * leave: the list would have no one to manage it.
     */
    async removeMember(principalId: string, listId: string, memberId: string): Promise<void> {
      const id = shareableId(listId);
      const target = checkPrincipalId(memberId);
      const role = await roleFor(principalId, id, target === principalId ? 'read' : 'manage');
      if (role === 'owner' && target === principalId) {
        const list = await memberList(principalId, id);
        throw new OwnerMembershipError(
          list.memberCount > 1
            ? `The owner cannot leave a list that has other members (${list.memberCount - 1}): remove them first, or delete the list`
            : 'The owner cannot leave its own list: delete the list instead',
        );
      }
      if (!(await lists.removeMember(id, target, now()))) throw new MemberNotFoundError();
    },
  };
}

export type ListService = ReturnType<typeof makeListService>;
