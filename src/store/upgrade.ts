import type { Item } from './document-ops.js';
import { KEY_ATTRIBUTES, TABLE_KEYS } from './table-schema.js';
import { fromItem, isTombstoneItem, toItem } from './task-item.js';

/**
 * An item as today's key design writes it. Tasks written before lists (every task then sat in its owner's
 * partition, now that owner's default list) lack their outline key, and an undated one still has the
 * `~#<taskId>` due key `byStatusDue` no longer holds: they are read as `fromItem` reads them (placed by
 * their creation) and written back with exactly the keys today's indexes read. Anything else (list
 * items, tombstones, idempotency records, tasks written since) is already in today's shape.
 */
export function upgradeItem(item: Item): Item {
  const sortKey = String(item[TABLE_KEYS.sortKey]);
  const isTask = !sortKey.startsWith('#') && item.createdAt !== undefined && !isTombstoneItem(item);
  const undatedInDueIndex = item.dueDate === undefined && item[KEY_ATTRIBUTES.due] !== undefined;
  if (!isTask || (item[KEY_ATTRIBUTES.position] !== undefined && !undatedInDueIndex)) return item;
  const upgraded = toItem(String(item[TABLE_KEYS.partitionKey]), fromItem(item));
  // An undated task leaves the sparse `byStatusDue`; attributes today's task no longer names (none yet) stay.
  const { [KEY_ATTRIBUTES.due]: _stale, ...kept } = item;
  return { ...kept, ...upgraded };
}
