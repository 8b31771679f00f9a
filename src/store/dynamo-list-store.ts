// Long on purpose (~530 lines): a list, its memberships, its member count and the page of a principal's lists are one key design; split, the rules of the `#list` and `#member#` items would live apart.
import { randomUUID } from 'node:crypto';
import { type ChangesQuery, tombstoneExpiry } from '../domain/change-feed.js';
import type { Deadline } from '../domain/deadline.js';
import { OwnerMembershipError, PreconditionFailedError, TaskNotFoundError } from '../domain/errors.js';
import { changedList, feedPage, listTombstone } from '../domain/list-feed.js';
import type {
  ListChangePage,
  ListMember,
  ListPage,
  ListRole,
  ListStore,
  MemberList,
  MemberPage,
} from '../domain/list-store.js';
import {
  DEFAULT_LIST_ID,
  DEFAULT_LIST_TITLE,
  defaultListOf,
  isDefaultList,
  LIST_ROLES,
  type ListChange,
  type ListRef,
  type MemberRole,
  newTaskList,
  type TaskList,
} from '../domain/task-list.js';
import type { WriteCondition } from '../domain/task-store.js';
import type { CursorCodec } from './cursor.js';
import { ConditionFailedError, type DocumentOps, type Item } from './document-ops.js';
import {
  INDEXES,
  KEY_ATTRIBUTES,
  LIST_ITEM_KEYS,
  listIdOfPartition,
  listPartitionKey,
  memberPartitionKey,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from './table-schema.js';
import { DELETED_ATTRIBUTE } from './task-item.js';

const refOf = (ownerId: string, listId: string): ListRef =>
  listId === DEFAULT_LIST_ID ? defaultListOf(ownerId) : { listId };

const metaKey = (list: ListRef): Item => ({
  [TABLE_KEYS.partitionKey]: listPartitionKey(list),
  [TABLE_KEYS.sortKey]: LIST_ITEM_KEYS.meta,
});

const memberKey = (listId: string, principalId: string): Item => ({
  [TABLE_KEYS.partitionKey]: listPartitionKey({ listId }),
  [TABLE_KEYS.sortKey]: LIST_ITEM_KEYS.member(principalId),
});

/** The role a membership item holds; undefined for a removed one (a tombstone without a role). */
const roleIn = (item: Item | undefined): ListRole | undefined =>
  LIST_ROLES.find((role) => role === item?.role);

function listOf(item: Item, role: ListRole): MemberList {
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

const live = (item: Item | undefined): item is Item => item !== undefined && item[DELETED_ATTRIBUTE] !== true;

/**
 * Lists in the task table (`table-schema.ts`): a `#list` item in the list's partition, and a `#member#<id>`
 * item per member, found by principal through `byMember`. A removed membership loses its role and expires by
 * TTL (the table role has no DeleteItem); until then it is the lists feed's tombstone for that principal.
 */
export class DynamoListStore implements ListStore {
  constructor(
    private readonly db: DocumentOps,
    private readonly tableName: string,
    private readonly deadline: Deadline,
    private readonly cursors: CursorCodec,
  ) {}

  async create(ownerId: string, list: TaskList): Promise<MemberList> {
    const ref = { listId: list.listId };
    const { listId: _listId, ...fields } = list;
    await this.db.put(
      {
        TableName: this.tableName,
        Item: { ...metaKey(ref), ...fields, ownerId, memberCount: 1 },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
      },
      this.deadline,
    );
    // The list exists before anyone can reach it: a failure here leaves an unreachable list, never the reverse.
    await this.db.put(
      {
        TableName: this.tableName,
        Item: {
          ...memberKey(list.listId, ownerId),
          [KEY_ATTRIBUTES.member]: memberPartitionKey(ownerId),
          principalId: ownerId,
          role: 'owner',
          updatedAt: list.createdAt,
        },
      },
      this.deadline,
    );
    return { ...list, role: 'owner', memberCount: 1 };
  }

  async roleOf(principalId: string, listId: string): Promise<ListRole | undefined> {
    const item = await this.db.get(
      { TableName: this.tableName, Key: memberKey(listId, principalId) },
      this.deadline,
    );
    return roleIn(item);
  }

  async get(principalId: string, listId: string): Promise<MemberList | undefined> {
    const [role, meta] = await Promise.all([
      this.roleOf(principalId, listId),
      this.db.get({ TableName: this.tableName, Key: metaKey({ listId }) }, this.deadline),
    ]);
    return role && live(meta) ? listOf(meta, role) : undefined;
  }

  async defaultList(ownerId: string, now: Date): Promise<MemberList> {
    const key = metaKey(defaultListOf(ownerId));
    const found = await this.db.get({ TableName: this.tableName, Key: key }, this.deadline);
    if (found) return listOf(found, 'owner');
    const { listId: _listId, ...fields } = newTaskList({ title: DEFAULT_LIST_TITLE }, DEFAULT_LIST_ID, now);
    const item = { ...key, ...fields, ownerId };
    const stored = await this.db
      .put(
        {
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        },
        this.deadline,
      )
      .then(
        () => item,
        async (error: unknown) => {
          if (!(error instanceof ConditionFailedError)) throw error;
          return this.db.get({ TableName: this.tableName, Key: key }, this.deadline); // another request made it
        },
      );
    return listOf(stored ?? item, 'owner');
  }

  async page(principalId: string, query: { limit: number; cursor?: string }): Promise<ListPage> {
    const index = INDEXES.byMember;
    const binding = JSON.stringify([principalId, 'lists']);
    const after = query.cursor
      ? (await this.cursors.decode(binding, query.cursor, ['after'])).after
      : undefined;
    // Removed memberships stay in `byMember` (the lists feed's tombstones) until their TTL: read on past them.
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.queryMemberships(principalId, query.limit + 1 - items.length, after, start);
      items.push(...page.items);
      start = page.lastEvaluatedKey;
    } while (start && items.length <= query.limit);
    const chosen = items.slice(0, query.limit);
    const more = items.length > query.limit;
    const cursor = async (position: string) => this.cursors.encode(binding, { after: position });
    // Limit 0 only asks whether any follow: the cursor then starts at the first.
    if (query.limit === 0) return { items: [], ...(more && { nextCursor: await cursor('') }) };
    const keys = chosen.map((member) =>
      metaKey({ listId: listIdOfPartition(String(member[index.sortKey]), '') }),
    );
    const metas =
      keys.length > 0 ? await this.db.batchGet({ TableName: this.tableName, Keys: keys }, this.deadline) : [];
    const byPartition = new Map(metas.map((meta) => [meta[TABLE_KEYS.partitionKey], meta]));
    const lists = chosen.flatMap((member) => {
      const meta = byPartition.get(member[index.sortKey]);
      const role = roleIn(member);
      return live(meta) && role ? [listOf(meta, role)] : [];
    });
    const last = chosen.at(-1)?.[index.sortKey];
    return { items: lists, ...(more && last !== undefined && { nextCursor: await cursor(String(last)) }) };
  }

  /** A principal's memberships from `byMember`, live ones only unless `all`, after a list's partition key. */
  private queryMemberships(
    principalId: string,
    limit: number,
    after: string | undefined,
    start: Item | undefined,
    all = false,
  ) {
    const index = INDEXES.byMember;
    const values: Item = { ':p': memberPartitionKey(principalId) };
    if (after) values[':a'] = after;
    return this.db.query(
      {
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: `#p = :p${after ? ' AND #s > :a' : ''}`,
        ...(!all && { FilterExpression: 'attribute_exists(#role)' }),
        ExpressionAttributeNames: {
          '#p': index.partitionKey,
          ...(after && { '#s': index.sortKey }),
          ...(!all && { '#role': 'role' }),
        },
        ExpressionAttributeValues: values,
        Limit: Math.max(1, limit),
        ...(start && { ExclusiveStartKey: start }),
      },
      this.deadline,
    );
  }

  async changes(principalId: string, query: ChangesQuery): Promise<ListChangePage> {
    const binding = JSON.stringify([principalId, 'lists-feed']);
    const { after, until } = query.cursor
      ? await this.cursors.decode(binding, query.cursor, ['after', 'until'])
      : { after: undefined, until: query.until };
    const memberships: Item[] = [];
    for (let start: Item | undefined; ; ) {
      const page = await this.queryMemberships(principalId, 100, undefined, start, true);
      memberships.push(...page.items);
      start = page.lastEvaluatedKey;
      if (!start) break;
    }
    const metas: Item[] = [];
    for (let i = 0; i < memberships.length; i += 100) {
      const keys = memberships
        .slice(i, i + 100)
        .map((member) => metaKey({ listId: listIdOfPartition(String(member[TABLE_KEYS.partitionKey]), '') }));
      metas.push(...(await this.db.batchGet({ TableName: this.tableName, Keys: keys }, this.deadline)));
    }
    const byPartition = new Map(metas.map((meta) => [meta[TABLE_KEYS.partitionKey], meta]));
    const changes: ListChange[] = memberships.map((member) => {
      const listId = listIdOfPartition(String(member[TABLE_KEYS.partitionKey]), '');
      const meta = byPartition.get(member[TABLE_KEYS.partitionKey]);
      const role = roleIn(member);
      const memberAt = member.updatedAt === undefined ? undefined : String(member.updatedAt);
      if (role && live(meta)) return changedList(listOf(meta, role), memberAt);
      const times = [memberAt, meta?.updatedAt === undefined ? undefined : String(meta.updatedAt)];
      return listTombstone(
        listId,
        times
          .filter((t) => t !== undefined)
          .sort()
          .at(-1) ?? '',
      );
    });
    const own = await this.db.get(
      { TableName: this.tableName, Key: metaKey(defaultListOf(principalId)) },
      this.deadline,
    );
    if (own) changes.push(listOf(own, 'owner'));
    const { items, next } = feedPage(changes, {
      since: query.since,
      until,
      limit: query.limit,
      ...(after && { after }),
    });
    return {
      items,
      ...(next !== undefined && { nextCursor: await this.cursors.encode(binding, { after: next, until }) }),
    };
  }

  async rename(principalId: string, listId: string, title: string, at: Date, condition?: WriteCondition) {
    const ref = refOf(principalId, listId);
    const guard = guardOf(condition);
    const item = await this.db
      .update(
        {
          TableName: this.tableName,
          Key: metaKey(ref),
          UpdateExpression: 'SET #title = :title, #updatedAt = :at ADD #version :one',
          ConditionExpression: guard.expression,
          ExpressionAttributeNames: {
            ...guard.names,
            '#title': 'title',
            '#updatedAt': 'updatedAt',
            '#version': 'version',
          },
          ExpressionAttributeValues: { ...guard.values, ':title': title, ':at': at.toISOString(), ':one': 1 },
        },
        this.deadline,
      )
      .catch((error: unknown) => this.explainFailure(ref, error));
    return listOf(item, isDefaultList(ref) ? 'owner' : ((await this.roleOf(principalId, listId)) ?? 'owner'));
  }

  async members(listId: string, query: { limit: number; cursor?: string }): Promise<MemberPage> {
    const binding = JSON.stringify([listId, 'members']);
    const after = query.cursor
      ? (await this.cursors.decode(binding, query.cursor, ['after'])).after
      : undefined;
    const found: Item[] = [];
    // Removed memberships stay as tombstones until their TTL: read on until the page is full.
    let start: Item | undefined = after ? memberKey(listId, after) : undefined;
    do {
      const page = await this.queryMembers(listId, query.limit + 1 - found.length, start);
      found.push(...page.items);
      start = page.lastEvaluatedKey;
    } while (start && found.length <= query.limit);
    const items: ListMember[] = found
      .slice(0, query.limit)
      .map((item) => ({ principalId: String(item.principalId), role: roleIn(item) ?? 'viewer' }));
    const last = items.at(-1)?.principalId ?? after ?? '';
    const more = found.length > query.limit;
    return { items, ...(more && { nextCursor: await this.cursors.encode(binding, { after: last }) }) };
  }

  /** One page of a list's live memberships, from its own partition (a Query on the table itself). */
  private queryMembers(listId: string, limit: number, start: Item | undefined) {
    return this.db.query(
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :member)',
        FilterExpression: 'attribute_exists(#role)',
        ExpressionAttributeNames: {
          '#pk': TABLE_KEYS.partitionKey,
          '#sk': TABLE_KEYS.sortKey,
          '#role': 'role',
        },
        ExpressionAttributeValues: {
          ':pk': listPartitionKey({ listId }),
          ':member': LIST_ITEM_KEYS.member(''),
        },
        Limit: Math.max(1, limit),
        ...(start && { ExclusiveStartKey: start }),
      },
      this.deadline,
    );
  }

  async setMember(listId: string, principalId: string, role: MemberRole, at: Date) {
    // `joinId` is set only when absent, so the write that finds its own token made the member.
    const token = randomUUID();
    const item = await this.db
      .update(
        {
          TableName: this.tableName,
          Key: memberKey(listId, principalId),
          UpdateExpression:
            'SET #role = :role, #memberKey = :memberKey, #principal = :principal, #updatedAt = :at, #join = if_not_exists(#join, :token) REMOVE #expires',
          ConditionExpression: 'attribute_not_exists(#role) OR #role <> :owner',
          ExpressionAttributeNames: {
            '#role': 'role',
            '#memberKey': KEY_ATTRIBUTES.member,
            '#principal': 'principalId',
            '#updatedAt': 'updatedAt',
            '#join': JOIN_ATTRIBUTE,
            '#expires': TTL_ATTRIBUTE,
          },
          ExpressionAttributeValues: {
            ':role': role,
            ':memberKey': memberPartitionKey(principalId),
            ':principal': principalId,
            ':at': at.toISOString(),
            ':token': token,
            ':owner': 'owner',
          },
        },
        this.deadline,
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionFailedError)
          throw new OwnerMembershipError("The owner's role cannot be changed", { cause: error });
        throw error;
      });
    const added = item[JOIN_ATTRIBUTE] === token;
    if (added) await this.count(listId, 1);
    return { member: { principalId, role }, added };
  }

  async removeMember(listId: string, principalId: string, at: Date): Promise<boolean> {
    const removed = await this.db
      .update(
        {
          TableName: this.tableName,
          Key: memberKey(listId, principalId),
          ...tombstoneOf(at),
          ConditionExpression: 'attribute_exists(#role) AND #role <> :owner',
          ExpressionAttributeValues: { ...tombstoneOf(at).ExpressionAttributeValues, ':owner': 'owner' },
        },
        this.deadline,
      )
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof ConditionFailedError) return false;
          throw error;
        },
      );
    if (removed) await this.count(listId, -1);
    return removed;
  }

  /**
   * The list's member count, moved after the membership write that changed it: two writes without a
   * transaction, so a failure between them leaves the count off by one (docs/contributing.md, "Storage").
   */
  private async count(listId: string, delta: number): Promise<void> {
    await this.db
      .update(
        {
          TableName: this.tableName,
          Key: metaKey({ listId }),
          UpdateExpression: 'ADD #count :delta',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#deleted)',
          ExpressionAttributeNames: {
            '#count': 'memberCount',
            '#pk': TABLE_KEYS.partitionKey,
            '#deleted': DELETED_ATTRIBUTE,
          },
          ExpressionAttributeValues: { ':delta': delta },
        },
        this.deadline,
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionFailedError)) throw error; // the list is gone: nothing to count
      });
  }

  async delete(listId: string, at: Date, condition?: WriteCondition): Promise<void> {
    const ref = { listId };
    const guard = guardOf(condition);
    const deletedAt = at.toISOString();
    await this.db
      .update(
        {
          TableName: this.tableName,
          Key: metaKey(ref),
          UpdateExpression: 'SET #deleted = :true, #updatedAt = :at, #expires = :expires',
          ConditionExpression: guard.expression,
          ExpressionAttributeNames: {
            ...guard.names,
            '#deleted': DELETED_ATTRIBUTE,
            '#updatedAt': 'updatedAt',
            '#expires': TTL_ATTRIBUTE,
          },
          ExpressionAttributeValues: {
            ...guard.values,
            ':true': true,
            ':at': deletedAt,
            ':expires': tombstoneExpiry(deletedAt),
          },
        },
        this.deadline,
      )
      .catch((error: unknown) => this.explainFailure(ref, error));
    // Every membership, the owner's included, loses its role: no member reaches the list any more.
    for (let start: Item | undefined; ; ) {
      const page = await this.queryMembers(listId, 100, start);
      for (const member of page.items)
        await this.db.update(
          {
            TableName: this.tableName,
            Key: memberKey(listId, String(member.principalId)),
            ...tombstoneOf(at),
          },
          this.deadline,
        );
      start = page.lastEvaluatedKey;
      if (!start) return;
    }
  }

  /** A failed condition is a missing list (404) or a moved version (412); one read tells which. */
  private async explainFailure(list: ListRef, error: unknown): Promise<never> {
    if (!(error instanceof ConditionFailedError)) throw error;
    const current = await this.db.get({ TableName: this.tableName, Key: metaKey(list) }, this.deadline);
    if (!live(current)) throw new TaskNotFoundError({ cause: error });
    throw new PreconditionFailedError(Number(current.version), { cause: error });
  }
}

/** Set when a principal becomes a member, removed when it leaves: tells a new membership from a changed one. */
const JOIN_ATTRIBUTE = 'joinId';

/**
 * A removed membership: no role, so it grants nothing; kept in `byMember` until its TTL, as the lists feed's
 * tombstone for the principal.
 */
function tombstoneOf(at: Date) {
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
function guardOf(condition: WriteCondition | undefined) {
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
