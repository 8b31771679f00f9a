import type { ListQuery } from '../domain/list-query.js';
import type { Task } from '../domain/task.js';
import type { TaskPage } from '../domain/task-store.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Item, QueryInput, QueryOutput } from './document-ops.js';
import { assertServable, cursorBinding, dueRangeOf, orderOf, sortKeyOf, sortOf } from './list-order.js';
import {
  INDEXES,
  type IndexDefinition,
  statusPartitionKey,
  TABLE_KEYS,
  TAG_INDEXES,
  tagPartitionKey,
  taskPartitionKey,
} from './table-schema.js';
import { fromItem } from './task-item.js';

/** One partition of one index (or of the base table) that holds exactly the tasks a query asks for. */
interface Source {
  readonly index?: IndexDefinition;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly partition: string;
}

const BASE = { partitionKey: TABLE_KEYS.partitionKey, sortKey: TABLE_KEYS.sortKey };
const SORT_INDEXES = {
  dueDate: { all: INDEXES.byDue, byStatus: INDEXES.byStatusDue },
  updatedAt: { all: INDEXES.byUpdated, byStatus: INDEXES.byStatusUpdated },
} as const;

const fromIndex = (index: IndexDefinition, partition: string): Source => ({
  index,
  partitionKey: index.partitionKey,
  sortKey: index.sortKey,
  partition,
});

/** Which index answers a query: the whole plan of `GET /tasks`, documented in the README's table. */
function sourcesOf(ownerId: string, query: ListQuery): Source[] {
  const sort = sortOf(query);
  if (query.tag !== undefined) {
    const partition = tagPartitionKey(ownerId, query.tag);
    return TAG_INDEXES.map((index) => fromIndex(index, partition));
  }
  const status = query.status && statusPartitionKey(ownerId, query.status);
  if (sort === 'createdAt')
    return [status ? fromIndex(INDEXES.byStatus, status) : { ...BASE, partition: taskPartitionKey(ownerId) }];
  const indexes = SORT_INDEXES[sort];
  return [status ? fromIndex(indexes.byStatus, status) : fromIndex(indexes.all, taskPartitionKey(ownerId))];
}

function keyConditionOf(query: ListQuery, source: Source, after: string | undefined) {
  const names: Record<string, string> = { '#p': source.partitionKey };
  const values: Item = { ':p': source.partition };
  const range = dueRangeOf(query);
  let condition = '#p = :p';
  if (range && range.lo !== '') {
    condition += ' AND #s BETWEEN :lo AND :hi';
    Object.assign(values, { ':lo': range.lo, ':hi': range.hi });
  } else if (range) {
    condition += ' AND #s < :hi';
    values[':hi'] = range.hi;
  } else if (after !== undefined) {
    condition += ` AND #s ${orderOf(query) === 'asc' ? '>' : '<'} :after`;
    values[':after'] = after;
  }
  if (condition.includes('#s')) names['#s'] = source.sortKey;
  return {
    KeyConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * One page of a listing. A single source pages with `ExclusiveStartKey`; a tag's slots are each queried
 * after the cursor's taskId for one item more than the page, and merged: the next page's items are all
 * among those, so the work stays O(page) whatever the owner holds.
 */
export async function listTasks(
  runQuery: (input: QueryInput) => Promise<QueryOutput>,
  tableName: string,
  ownerId: string,
  query: ListQuery,
): Promise<TaskPage> {
  assertServable(query);
  const sort = sortOf(query);
  const ascending = orderOf(query) === 'asc';
  const sources = sourcesOf(ownerId, query);
  const cursorKeys = [...new Set([TABLE_KEYS.sortKey, ...sources.map((s) => s.sortKey)])];
  const binding = cursorBinding(ownerId, query);
  const position = query.cursor ? decodeCursor(binding, query.cursor, cursorKeys) : undefined;
  const single = sources.length === 1;
  const pages = await Promise.all(
    sources.map((source) => {
      const input: QueryInput = {
        TableName: tableName,
        ...(source.index && { IndexName: source.index.indexName }),
        ...keyConditionOf(query, source, single ? undefined : position?.[TABLE_KEYS.sortKey]),
        Limit: query.limit + 1,
        ScanIndexForward: ascending,
        ...(single &&
          position && {
            ExclusiveStartKey: {
              ...position,
              [TABLE_KEYS.partitionKey]: taskPartitionKey(ownerId),
              [source.partitionKey]: source.partition,
            },
          }),
      };
      return runQuery(input);
    }),
  );
  const found: Task[] = pages.flatMap((page) => page.items.map(fromItem));
  if (!single) found.sort((a, b) => (a.taskId < b.taskId === ascending ? -1 : 1));
  const items = found.slice(0, query.limit);
  const last = items.at(-1);
  if (found.length <= query.limit || !last) return { items };
  const next = Object.fromEntries(
    cursorKeys.map((key) => [key, key === TABLE_KEYS.sortKey ? last.taskId : sortKeyOf(last, sort)]),
  );
  return { items, nextCursor: encodeCursor(binding, next) };
}
