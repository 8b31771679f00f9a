/**
 * Placeholder in the `purge` branch: the lead's list store replaces this file at merge. What the purge
 * Lambda (src/lambda/purge.ts) builds against: purges the tasks of a deleted list, idempotently (a second
 * run continues where the first stopped), with DynamoDB `Query` on the `byPosition` index and `UpdateItem`
 * and `GetItem` on the table only (src/lambda/permissions.ts grants exactly those).
 */
import type { Deadline } from '../domain/deadline.js';
import type { DocumentOps } from './document-ops.js';

export async function purgeList(
  _deps: { db: DocumentOps; tableName: string; deadline: Deadline },
  _listId: string,
): Promise<{ purged: number }> {
  throw new Error('replaced by the lead at merge');
}
