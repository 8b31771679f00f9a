import type { Deadline } from '../domain/deadline.js';
import { ConditionFailedError, type DocumentOps, type Item } from './document-ops.js';
import { tombstoneUpdate } from './dynamo-task-store.js';
import { INDEXES, listPartitionKey, TABLE_KEYS } from './table-schema.js';

export interface PurgeDeps {
  readonly db: DocumentOps;
  readonly tableName: string;
  readonly deadline: Deadline;
}

/** Tasks read, and tombstoned side by side, per round: a page of `byPosition` keys. */
const PAGE = 100;
const PARALLEL = 10;

/**
 * Purges a deleted list: every task still live in its partition becomes a tombstone, as a delete leaves
 * it, so the feed says so and TTL removes it after the feed's retention. It reads keys only (`byPosition`
 * holds every live task of the list), a page at a time. A retry after a crash, or a second purge of the
 * same list, starts from the first key again and skips what is already a tombstone.
 */
export async function purgeList(
  { db, tableName, deadline }: PurgeDeps,
  listId: string,
): Promise<{ purged: number }> {
  const partition = listPartitionKey({ listId });
  const index = INDEXES.byPosition;
  let purged = 0;
  for (let start: Item | undefined; ; ) {
    const { items, lastEvaluatedKey } = await db.query(
      {
        TableName: tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': index.partitionKey },
        ExpressionAttributeValues: { ':p': partition },
        Limit: PAGE,
        ...(start && { ExclusiveStartKey: start }),
      },
      deadline,
    );
    const at = new Date();
    const taskIds = items.map((item) => String(item[TABLE_KEYS.sortKey]));
    for (let i = 0; i < taskIds.length; i += PARALLEL) {
      const done = await Promise.all(
        taskIds.slice(i, i + PARALLEL).map((taskId) =>
          db.update(tombstoneUpdate(tableName, partition, taskId, at), deadline).then(
            () => 1,
            (error: unknown) => {
              if (error instanceof ConditionFailedError) return 0; // already a tombstone
              throw error;
            },
          ),
        ),
      );
      purged += done.reduce((sum: number, n) => sum + n, 0);
    }
    if (!lastEvaluatedKey) return { purged };
    start = lastEvaluatedKey;
  }
}
