/**
 * The items of a list in the task table (`table-schema.ts`), as the list store reads and writes them: keys,
 * the conversion of a `#list` item to a list, the membership tombstone and the list's write guard.
 */
import { tombstoneExpiry } from '../domain/change-feed.js';
import {
  DEFAULT_LIST_ID,
  defaultListOf,
  LIST_ROLES,
  type ListRef,
  type ListRole,
  type MemberList,
} from '../domain/task-list.js';
import type { WriteCondition } from '../domain/task-store.js';
import type { Item } from './document-ops.js';
import {
  LIST_ITEM_KEYS,
  listIdOfPartition,
  listPartitionKey,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from './table-schema.js';
import { DELETED_ATTRIBUTE } from './task-item.js';

export const refOf = (ownerId: string, listId: string): ListRef =>
  listId === DEFAULT_LIST_ID ? defaultListOf(ownerId) : { listId };

export const metaKey = (list: ListRef): Item => ({
  [TABLE_KEYS.partitionKey]: listPartitionKey(list),
  [TABLE_KEYS.sortKey]: LIST_ITEM_KEYS.meta,
});

export const memberKey = (listId: string, principalId: string): Item => ({
  [TABLE_KEYS.partitionKey]: listPartitionKey({ listId }),
  [TABLE_KEYS.sortKey]: LIST_ITEM_KEYS.member(principalId),
});

/** The role a membership item holds; undefined for a removed one (a tombstone without a role). */
export const roleIn = (item: Item | undefined): ListRole | undefined =>
  LIST_ROLES.find((role) => role === item?.role);

export function listOf(item: Item, role: ListRole): MemberList {
  return {
    listId: listIdOfPartition(String(item[TABLE_KEYS.partitionKey]), DEFAULT_LIST_ID),
    title: String(item.title),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
    role,
    // The default list, and lists made before sharing, have no count: their owner is their only member.
    memberCount: Math.max(1, Number(item.memberCount ?? 1)),
  };
}

export const live = (item: Item | undefined): item is Item =>
  item !== undefined && item[DELETED_ATTRIBUTE] !== true;

/** Set when a principal becomes a member, removed when it leaves: tells a new membership from a changed one. */
export const JOIN_ATTRIBUTE = 'joinId';

/**
 * A removed membership: no role, so it grants nothing; kept in `byMember` until its TTL, as the lists feed's
 * tombstone for the principal.
 */
export function tombstoneOf(at: Date) {
  return {
    UpdateExpression: 'SET #expires = :expires, #updatedAt = :at REMOVE #role, #join',
    ExpressionAttributeNames: {
      '#expires': TTL_ATTRIBUTE,
      '#updatedAt': 'updatedAt',
      '#role': 'role',
      '#join': JOIN_ATTRIBUTE,
    },
    ExpressionAttributeValues: {
      ':expires': tombstoneExpiry(at.toISOString()),
      ':at': at.toISOString(),
    } as Item,
  };
}

/** The list exists, is not deleted, and its version meets `If-Match` / `If-None-Match`. */
export function guardOf(condition: WriteCondition | undefined) {
  const clauses = ['attribute_exists(#pk)', 'attribute_not_exists(#deleted)'];
  const values: Item = {};
  const names: Record<string, string> = { '#pk': TABLE_KEYS.partitionKey, '#deleted': DELETED_ATTRIBUTE };
  const list = (prefix: string, versions: readonly number[]) =>
    versions.map((version, i) => {
      values[`:${prefix}${i}`] = version;
      return `:${prefix}${i}`;
    });
  if (condition?.versionIn) {
    // An empty list can never hold: compare with a version no list has.
    const placeholders = condition.versionIn.length > 0 ? list('c', condition.versionIn) : list('c', [-1]);
    clauses.push(`#v IN (${placeholders.join(', ')})`);
  }
  if (condition?.versionNotIn?.length)
    clauses.push(`NOT (#v IN (${list('n', condition.versionNotIn).join(', ')}))`);
  if (clauses.length > 2) names['#v'] = 'version';
  return { expression: clauses.join(' AND '), names, values };
}
