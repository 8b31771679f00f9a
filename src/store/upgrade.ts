import type { Item } from './document-ops.js';
import { KEY_ATTRIBUTES, TABLE_KEYS } from './table-schema.js';
import { fromItem, isTombstoneItem, toItem } from './task-item.js';

/**
 * An item as today's key design writes it. Tasks written before lists (every task then sat in its owner's
 * partition, now that owner's default list) lack their outline key: they are read as `fromItem` reads them
 * (placed by their creation) and written back with every key today's indexes read. Anything else (list
 * items, tombstones, idempotency records, tasks written since) is already in today's shape.
 */
export function upgradeItem(item: Item): Item {
  const sortKey = String(item[TABLE_KEYS.sortKey]);
  const isTask = !sortKey.startsWith('#') && item.createdAt !== undefined && !isTombstoneItem(item);
  if (!isTask || item[KEY_ATTRIBUTES.position] !== undefined) return item;
  const upgraded = toItem(String(item[TABLE_KEYS.partitionKey]), fromItem(item));
  // Attributes today's task no longer names (none yet) survive, as a DynamoDB update would keep them.
  return { ...item, ...upgraded };
}
