import { PRINCIPAL_ID_PATTERN } from '../../src/domain/principal-id.js';
import type { ListMember, ListRole, MemberRole, TaskList } from './task-api.js';

/** A role as a person reads it. */
export const ROLE_LABELS: Readonly<Record<ListRole, string>> = {
  owner: 'Owner',
  editor: 'Editor',
  viewer: 'Viewer',
};

/** The roles the owner gives, least first: a new member is a viewer unless the owner says otherwise. */
export const GIVEN_ROLE_LABELS: Readonly<Record<MemberRole, string>> = {
  viewer: 'Viewer (sees the tasks)',
  editor: 'Editor (changes the tasks)',
};

/** What each role may do on a board: the API's rules (docs/api.md), so the app offers only what works. */
export const mayWrite = (role: ListRole | undefined): boolean => role === 'owner' || role === 'editor';
export const mayRename = mayWrite;
export const mayManage = (role: ListRole | undefined): boolean => role === 'owner';

/** Shared: someone besides its owner is a member, or the caller is not the owner. */
export const isShared = (list: TaskList): boolean => list.memberCount > 1 || list.role !== 'owner';

/** The line under a shared list's name in the panel: the caller's role and how many members it has. */
export function sharingSummary(list: TaskList): string | undefined {
  if (!isShared(list)) return undefined;
  const members = `${list.memberCount} member${list.memberCount === 1 ? '' : 's'}`;
  return `Shared · ${ROLE_LABELS[list.role]} · ${members}`;
}

/** The owner first, then the caller, then the others by id: the order a person scans for. */
export function membersInOrder(members: readonly ListMember[], me: string | undefined): ListMember[] {
  const rank = (member: ListMember) => (member.role === 'owner' ? 0 : member.principalId === me ? 1 : 2);
  return [...members].sort(
    (a, b) =>
      rank(a) - rank(b) || (a.principalId < b.principalId ? -1 : a.principalId > b.principalId ? 1 : 0),
  );
}

/** The symbols an id may hold besides letters and digits (sharing.test.ts checks them against the pattern). */
export const ID_SYMBOLS = ['.', '_', '@', ':', '+', '|', '=', '-'] as const;

/** Why an id cannot be a member's (the API's own pattern), or undefined when it can. */
export function principalIdProblem(id: string, me: string | undefined): string | undefined {
  if (!id) return 'Enter the id of the person to share with.';
  if (!PRINCIPAL_ID_PATTERN.test(id))
    return `An id is 1 to 128 letters, digits or the characters ${ID_SYMBOLS.join(' ')} (no spaces).`;
  if (id === me) return 'That is your own id: you own this list already.';
  return undefined;
}
