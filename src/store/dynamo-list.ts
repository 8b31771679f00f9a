// Long on purpose (~315 lines): every read plan of the key design (listings, the due-date phases, the change feed, siblings in the outline) shares `pageOf` and the Query builder; split, the O(page) rules would live apart.
import type { ChangePage, ChangesQuery } from '../domain/change-feed.js';
import type { ListQuery } from '../domain/list-query.js';
import { TASK_STATUSES, type Task } from '../domain/task.js';
import { outlineKeyOf, type Placed, placedOf, topLevelOf } from '../domain/task-order.js';
import type { SiblingsQuery, TaskPage } from '../domain/task-store.js';
import type { CursorCodec } from './cursor.js';
import type { Item, QueryInput } from './document-ops.js';
import { assertServable, changesBinding, cursorBinding, dueRangeOf, orderOf, sortOf } from './list-order.js';
import {
  feedPartitionKey,
  INDEXES,
  type IndexDefinition,
  parentPartitionKey,
  statusPartitionKey,
  TABLE_KEYS,
  TAG_INDEXES,
  TTL_ATTRIBUTE,
  tagPartitionKey,
} from './table-schema.js';
import { fromItem, isTombstoneItem, tombstoneOf } from './task-item.js';

/** One partition of one index. The sources of one query share the index's sort key, so they merge. */
interface Source {
  readonly index: IndexDefinition;
  readonly partition: string;
}

/** How a page is read: the sources, the sort-key range, the order and the page size. */
interface Plan {
  readonly sources: readonly Source[];
  /** Inclusive bounds on the sort key; keys end in `#<taskId>`, so an instant bound is exclusive in effect. */
  readonly lower?: string;
  readonly upper?: string;
  readonly ascending: boolean;
  readonly limit: number;
  /** The sort key of the last entry of the previous page. */
  readonly after?: string;
}

export interface Reader {
  query(input: QueryInput): Promise<{ items: Item[] }>;
  batchGet(keys: readonly Item[]): Promise<Item[]>;
}

/** Which partitions answer a listing: the whole plan of `GET /tasks` (docs/api.md has the table). */
function sourcesOf(partition: string, query: ListQuery): Source[] {
  if (query.tag !== undefined) {
    const tagPartition = tagPartitionKey(partition, query.tag);
    return TAG_INDEXES.map((index) => ({ index, partition: tagPartition }));
  }
  if (query.parentId !== undefined)
    return [{ index: INDEXES.byParent, partition: parentPartitionKey(partition, query.parentId) }];
  const sort = sortOf(query);
  if (sort === 'position') return [{ index: INDEXES.byPosition, partition }];
  const statuses = query.status ? [query.status] : TASK_STATUSES;
  if (sort === 'updatedAt')
    return statuses.map((s) => ({ index: INDEXES.byFeed, partition: feedPartitionKey(partition, s) }));
  const index = sort === 'dueDate' ? INDEXES.byStatusDue : INDEXES.byStatus;
  return statuses.map((s) => ({ index, partition: statusPartitionKey(partition, s) }));
}

/** The Query of one source, or undefined when the range is empty. */
function queryOf(tableName: string, source: Source, plan: Plan): QueryInput | undefined {
  const { index } = source;
  let lower = plan.lower;
  let upper = plan.upper;
  // The cursor's own entry is included (a key condition has one range) and dropped after the merge.
  if (plan.after !== undefined && plan.ascending) lower = lower && lower > plan.after ? lower : plan.after;
  if (plan.after !== undefined && !plan.ascending) upper = upper && upper < plan.after ? upper : plan.after;
  if (lower !== undefined && upper !== undefined && lower > upper) return undefined;
  const values: Item = { ':p': source.partition };
  let range = '';
  if (lower !== undefined && upper !== undefined) {
    range = ' AND #s BETWEEN :lo AND :hi';
    Object.assign(values, { ':lo': lower, ':hi': upper });
  } else if (lower !== undefined) {
    range = ' AND #s >= :lo';
    values[':lo'] = lower;
  } else if (upper !== undefined) {
    range = ' AND #s <= :hi';
    values[':hi'] = upper;
  }
  return {
    TableName: tableName,
    IndexName: index.indexName,
    KeyConditionExpression: `#p = :p${range}`,
    ExpressionAttributeNames: { '#p': index.partitionKey, ...(range && { '#s': index.sortKey }) },
    ExpressionAttributeValues: values,
    // One more than the page tells whether another follows; one more again for the cursor's own entry.
    Limit: plan.limit + 2,
    ScanIndexForward: plan.ascending,
  };
}

/**
 * One page over the plan's sources: each is queried for a page and a bit more from the cursor on, and the
 * entries are merged by sort key, so the work stays O(page) whatever the owner holds. A `KEYS_ONLY` index
 * gives keys; the page's items are then read from the table in one BatchGetItem, and an entry whose item
 * has since moved (its index keys differ now) or gone is left out: it is found where it is now.
 */
async function pageOf(reader: Reader, tableName: string, plan: Plan) {
  const [first] = plan.sources;
  if (!first) return { items: [] as Item[], last: undefined, more: false };
  const sortKey = first.index.sortKey;
  const pages = await Promise.all(
    plan.sources.map((source) => {
      const input = queryOf(tableName, source, plan);
      return input ? reader.query(input) : { items: [] };
    }),
  );
  // Each entry keeps its index: a tag's slots are different indexes, so its keys differ per entry.
  const entries = pages
    .flatMap((page, i) =>
      page.items.map((entry) => ({ entry, index: plan.sources[i]?.index ?? first.index })),
    )
    .filter(({ entry }) => entry[sortKey] !== plan.after)
    .sort((a, b) => (String(a.entry[sortKey]) < String(b.entry[sortKey]) === plan.ascending ? -1 : 1));
  const chosen = entries.slice(0, plan.limit);
  const more = entries.length > plan.limit;
  const last = chosen.at(-1)?.entry[sortKey] as string | undefined;
  if (first.index.projection === 'ALL') return { items: chosen.map(({ entry }) => entry), last, more };
  const keys = [...new Set(chosen.map(({ entry }) => String(entry[TABLE_KEYS.sortKey])))].map((taskId) => ({
    [TABLE_KEYS.partitionKey]: chosen[0]?.entry[TABLE_KEYS.partitionKey],
    [TABLE_KEYS.sortKey]: taskId,
  }));
  const fetched = new Map(
    (keys.length > 0 ? await reader.batchGet(keys) : []).map((item) => [item[TABLE_KEYS.sortKey], item]),
  );
  // An entry whose item moved since (another status, a newer updatedAt) or went is not where it was.
  const current = chosen.flatMap(({ entry, index }) => {
    const item = fetched.get(entry[TABLE_KEYS.sortKey]);
    const { partitionKey: p, sortKey: s } = index;
    return item && item[p] === entry[p] && item[s] === entry[s] ? [item] : [];
  });
  return { items: current, last, more };
}

/** One page of a listing, in the query's order. Tombstones have no listing keys, so none appears. */
export async function listTasks(
  reader: Reader,
  cursors: CursorCodec,
  tableName: string,
  partition: string,
  query: ListQuery,
): Promise<TaskPage> {
  assertServable(query);
  if (sortOf(query) === 'dueDate' && dueRangeOf(query) === undefined)
    return listByDueDate(reader, cursors, tableName, partition, query);
  const sources = sourcesOf(partition, query);
  const sortKey = sources[0]?.index.sortKey ?? TABLE_KEYS.sortKey;
  const binding = cursorBinding(partition, query);
  const after = query.cursor ? (await cursors.decode(binding, query.cursor, [sortKey]))[sortKey] : undefined;
  const range = dueRangeOf(query);
  const page = await pageOf(reader, tableName, {
    sources,
    ...(range?.lo && { lower: range.lo }),
    ...(range && { upper: range.hi }),
    ascending: orderOf(query) === 'asc',
    limit: query.limit,
    ...(after !== undefined && { after }),
  });
  const items = page.items.filter((item) => !isTombstoneItem(item)).map(fromItem);
  if (!page.more || page.last === undefined) return { items };
  return { items, nextCursor: await cursors.encode(binding, { [sortKey]: page.last }) };
}

type DuePhase = 'dated' | 'undated';

/**
 * `sort=dueDate` without a due range: the dated tasks by due date, then the undated ones by creation (the
 * reverse with `order=desc`). `byStatusDue` is sparse, holding only dated tasks, so an undated task costs it
 * no write at all (its creation, status changes and deletion included: about 0.5 WRU per write over the
 * mix). The undated tail is read from `byStatus` in creation order and its dated tasks left out, so a tail
 * page reads O(limit) items and may hold fewer than `limit` while a `Link` follows. The cursor names the
 * phase it is in.
 */
async function listByDueDate(
  reader: Reader,
  cursors: CursorCodec,
  tableName: string,
  partition: string,
  query: ListQuery,
): Promise<TaskPage> {
  const ascending = orderOf(query) === 'asc';
  const phases: readonly DuePhase[] = ascending ? ['dated', 'undated'] : ['undated', 'dated'];
  const statuses = query.status ? [query.status] : TASK_STATUSES;
  const sourcesOfPhase = (phase: DuePhase): Source[] => {
    const index = phase === 'dated' ? INDEXES.byStatusDue : INDEXES.byStatus;
    return statuses.map((s) => ({ index, partition: statusPartitionKey(partition, s) }));
  };
  const binding = cursorBinding(partition, query);
  const position = query.cursor ? await cursors.decode(binding, query.cursor, ['phase', 'key']) : undefined;
  let at = position?.phase === 'undated' || position?.phase === 'dated' ? phases.indexOf(position.phase) : 0;
  let after = position?.key || undefined;
  const items: Task[] = [];
  for (; at < phases.length; at++, after = undefined) {
    const phase = phases[at] as DuePhase;
    const page = await pageOf(reader, tableName, {
      sources: sourcesOfPhase(phase),
      ascending,
      limit: query.limit - items.length,
      ...(after !== undefined && { after }),
    });
    const live = page.items.filter((item) => !isTombstoneItem(item));
    items.push(
      ...(phase === 'undated' ? live.filter((item) => item.dueDate === undefined) : live).map(fromItem),
    );
    if (page.more && page.last !== undefined)
      return { items, nextCursor: await cursors.encode(binding, { phase, key: page.last }) };
    const next = phases[at + 1];
    if (items.length >= query.limit && next !== undefined)
      return { items, nextCursor: await cursors.encode(binding, { phase: next, key: '' }) };
  }
  return { items };
}

/** The feed's partitions: the three statuses and the tombstones. */
const FEED_STATUSES = [...TASK_STATUSES, 'deleted'] as const;

/** One page of the change feed: settled changes since an instant, oldest first, tombstones included. */
export async function listChanges(
  reader: Reader,
  cursors: CursorCodec,
  tableName: string,
  partition: string,
  query: ChangesQuery,
): Promise<ChangePage> {
  const index = INDEXES.byFeed;
  const binding = changesBinding(partition, query.since);
  const position = query.cursor
    ? await cursors.decode(binding, query.cursor, [index.sortKey, 'until'])
    : { until: query.until };
  const until = position.until ?? query.until;
  const after = position[index.sortKey];
  const page = await pageOf(reader, tableName, {
    sources: FEED_STATUSES.map((s) => ({ index, partition: feedPartitionKey(partition, s) })),
    lower: query.since,
    upper: until,
    ascending: true,
    limit: query.limit,
    ...(after !== undefined && { after }),
  });
  // TTL deletes lazily (and dynalite not at all): a tombstone past its expiry is gone, whatever remains.
  const live = page.items.filter(
    (item) => !isTombstoneItem(item) || Number(item[TTL_ATTRIBUTE]) * 1000 > Date.parse(until),
  );
  const items = live.map((item) => (isTombstoneItem(item) ? tombstoneOf(item) : fromItem(item)));
  if (!page.more || page.last === undefined) return { items };
  return { items, nextCursor: await cursors.encode(binding, { [index.sortKey]: page.last, until }) };
}

/**
 * Siblings from a place in the outline, nearest first, read from the index keys alone (an outline key
 * holds each task's position and id). A parent's subtasks are one `byParent` partition. The top-level
 * tasks share `byPosition` with their subtasks, whose keys extend their parent's: a subtask met on the way
 * names its parent, and the next Query starts beyond that parent's run, so each costs one Query at most.
 */
export async function listSiblings(
  reader: Reader,
  tableName: string,
  partition: string,
  { parent, from, direction, limit }: SiblingsQuery,
): Promise<Placed[]> {
  const forward = direction === 'forward';
  const index = parent ? INDEXES.byParent : INDEXES.byPosition;
  const source = parent ? parentPartitionKey(partition, parent.taskId) : partition;
  const found: Placed[] = [];
  // Forward: keys at or after `lower`; backward: keys before `upper`. A run of subtasks is skipped whole.
  const beyond = (key: string) => `${key}0`; // '0' sorts just above '/', past every key extending `key/`
  let bound = from === undefined ? undefined : outlineKeyOf(from, parent);
  if (bound !== undefined && forward && !parent) bound = beyond(bound);
  while (found.length < limit) {
    const values: Item = { ':p': source };
    let range = '';
    if (bound !== undefined) {
      range = forward ? (parent ? ' AND #s > :b' : ' AND #s >= :b') : ' AND #s < :b';
      values[':b'] = bound;
    }
    const requested = limit - found.length + 1;
    const { items } = await reader.query({
      TableName: tableName,
      IndexName: index.indexName,
      KeyConditionExpression: `#p = :p${range}`,
      ExpressionAttributeNames: { '#p': index.partitionKey, ...(range && { '#s': index.sortKey }) },
      ExpressionAttributeValues: values,
      Limit: requested,
      ScanIndexForward: forward,
    });
    if (items.length === 0) break;
    let jumped = false;
    for (const item of items) {
      const key = String(item[index.sortKey]);
      const nested = !parent && key.includes('/');
      if (!nested) {
        found.push(placedOf(key));
        bound = forward && !parent ? beyond(key) : key;
        if (found.length === limit) break;
        if (forward && !parent) {
          jumped = true; // past this task's subtasks: the next Query starts after them
          break;
        }
        continue;
      }
      // A subtask: backward, its parent is the next sibling; forward, it cannot come first (its parent does).
      const top = topLevelOf(key);
      if (!forward && found.at(-1)?.taskId !== top.taskId) found.push(top);
      bound = forward ? beyond(outlineKeyOf(top)) : outlineKeyOf(top);
      jumped = true;
      break;
    }
    if (!jumped && items.length < requested) break;
  }
  return found.slice(0, limit);
}
