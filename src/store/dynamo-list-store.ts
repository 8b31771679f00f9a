// Long on purpose (~580 lines): a list, its memberships, its member count, the caps of lists and the page of a principal's lists are one key design; split, the rules of the `#list` and `#member#` items would live apart.
import { randomUUID } from 'node:crypto';
import { type ChangesQuery, tombstoneExpiry } from '../domain/change-feed.js';
import type { Deadline } from '../domain/deadline.js';
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
  guardOf,
  JOIN_ATTRIBUTE,
  listOf,
  live,
  memberKey,
  metaKey,
  refOf,
  roleIn,
  tombstoneOf,
} from './list-items.js';
import {
  countsKey,
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
    /** The caps (`LIMITS`), smaller in a test. */
    private readonly limits: Limits = LIMITS,
  ) {}

  async create(ownerId: string, list: TaskList): Promise<MemberList> {
    const ref = { listId: list.listId };
    const { listId: _listId, ...fields } = list;
    // Counted first, under the caps: a failure after leaves the count one high, never past a cap.
    await this.countLists(ownerId, 1, 1);
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
    // The count's write also tells whether the list was deleted meanwhile (a role change adds 0): then
    // the membership just written must not stand, or it would reach a deleted list's partition. A new
    // member past a cap is taken back the same way (its tombstone grants nothing and expires by TTL).
    const undo = () =>
      this.db.update(
        { TableName: this.tableName, Key: memberKey(listId, principalId), ...tombstoneOf(at) },
        this.deadline,
      );
    const counted = await this.count(listId, added ? 1 : 0).catch(async (error: unknown) => {
      await undo();
      throw error;
    });
    if (!counted) {
      await undo();
      throw new TaskNotFoundError();
    }
    if (added)
      await this.countLists(principalId, 0, 1).catch(async (error: unknown) => {
        await undo();
        await this.count(listId, -1);
        throw error;
      });
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
    if (removed) {
      await this.count(listId, -1);
      await this.countLists(principalId, 0, -1);
    }
    return removed;
  }

  /**
   * The list's member count, moved after the membership write that changed it: two writes without a
   * transaction, so a failure between them leaves the count off by one (docs/contributing.md, "Storage").
   * False when the list is deleted (or gone).
   */
  private async count(listId: string, delta: number): Promise<boolean> {
    const cap = this.limits.membersPerList;
    return this.db
      .update(
        {
          TableName: this.tableName,
          Key: metaKey({ listId }),
          UpdateExpression: 'ADD #count :delta',
          ConditionExpression: `attribute_exists(#pk) AND attribute_not_exists(#deleted)${delta > 0 ? ' AND (attribute_not_exists(#count) OR #count < :cap)' : ''}`,
          ExpressionAttributeNames: {
            '#count': 'memberCount',
            '#pk': TABLE_KEYS.partitionKey,
            '#deleted': DELETED_ATTRIBUTE,
          },
          ExpressionAttributeValues: { ':delta': delta, ...(delta > 0 && { ':cap': cap }) },
        },
        this.deadline,
      )
      .then(
        () => true,
        async (error: unknown) => {
          if (!(error instanceof ConditionFailedError)) throw error;
          const meta = await this.db.get(
            { TableName: this.tableName, Key: metaKey({ listId }) },
            this.deadline,
          );
          if (!live(meta)) return false; // the list is gone: nothing to count
          const count = Number(meta.memberCount ?? 1);
          throw new LimitReachedError('membersPerList', limitMessage('membersPerList', count, cap), {
            cause: error,
          });
        },
      );
  }

  /**
   * Moves a principal's counts of lists owned and memberships (one small item, `countsKey`); an increase
   * is conditional on staying under each cap, so the caps are exact. Lists joined before the counts
   * existed are not counted.
   */
  private async countLists(principalId: string, owned: number, memberships: number): Promise<void> {
    const rising = owned > 0 || memberships > 0;
    const clauses = [
      ...(owned > 0 ? ['(attribute_not_exists(#owned) OR #owned < :ownedCap)'] : []),
      ...(memberships > 0 ? ['(attribute_not_exists(#memberships) OR #memberships < :membershipsCap)'] : []),
    ];
    await this.db
      .update(
        {
          TableName: this.tableName,
          Key: countsKey(principalId),
          UpdateExpression: 'ADD #owned :owned, #memberships :memberships',
          ...(rising && { ConditionExpression: clauses.join(' AND ') }),
          ExpressionAttributeNames: { '#owned': 'listsOwned', '#memberships': 'memberships' },
          ExpressionAttributeValues: {
            ':owned': owned,
            ':memberships': memberships,
            ...(owned > 0 && { ':ownedCap': this.limits.listsOwned }),
            ...(memberships > 0 && { ':membershipsCap': this.limits.memberships }),
          },
        },
        this.deadline,
      )
      .catch(async (error: unknown) => {
        if (!(error instanceof ConditionFailedError)) throw error;
        const counts = await this.db.get(
          { TableName: this.tableName, Key: countsKey(principalId) },
          this.deadline,
        );
        const ownedNow = Number(counts?.listsOwned ?? 0);
        const limit = owned > 0 && ownedNow >= this.limits.listsOwned ? 'listsOwned' : 'memberships';
        const amount = limit === 'listsOwned' ? ownedNow : Number(counts?.memberships ?? 0);
        throw new LimitReachedError(limit, limitMessage(limit, amount, this.limits[limit]), { cause: error });
      });
  }

  /**
   * In an order a crash cannot leave half-done and reachable: the other members lose the list first (the
   * owner can then delete it again), then the list is marked deleted, then the owner's membership goes. A
   * failed precondition must remove no one, so it is checked before the first write (and again by the last).
   */
  async delete(listId: string, at: Date, condition?: WriteCondition): Promise<void> {
    const ref = { listId };
    const current = await this.db.get({ TableName: this.tableName, Key: metaKey(ref) }, this.deadline);
    if (!live(current)) throw new TaskNotFoundError();
    const version = Number(current.version);
    if (
      (condition?.versionIn && !condition.versionIn.includes(version)) ||
      condition?.versionNotIn?.includes(version)
    )
      throw new PreconditionFailedError(version);
    const owners = await this.dropMembers(listId, at, (role) => role !== 'owner');
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
    for (const principalId of owners) {
      await this.db.update(
        { TableName: this.tableName, Key: memberKey(listId, principalId), ...tombstoneOf(at) },
        this.deadline,
      );
      await this.countLists(principalId, -1, -1);
    }
  }

  /** Turns the memberships whose role `drop` picks into tombstones; answers the principals of the others. */
  private async dropMembers(listId: string, at: Date, drop: (role: ListRole | undefined) => boolean) {
    const kept: string[] = [];
    for (let start: Item | undefined; ; ) {
      const page = await this.queryMembers(listId, 100, start);
      for (const member of page.items) {
        const principalId = String(member.principalId);
        if (!drop(roleIn(member))) kept.push(principalId);
        else {
          await this.db.update(
            { TableName: this.tableName, Key: memberKey(listId, principalId), ...tombstoneOf(at) },
            this.deadline,
          );
          await this.countLists(principalId, 0, -1);
        }
      }
      start = page.lastEvaluatedKey;
      if (!start) return kept;
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
