/**
 * The table's key design, shared by the DynamoDB adapter, the local table bootstrap and the CDK stack so
 * the three cannot drift apart.
 *
 * - Base table: `pk` = `T#<ownerId>`, `sk` = taskId (UUIDv7, so the sort key orders by creation).
 * - GSI `byStatus`: `statusKey` = `T#<ownerId>#<status>`, `sk` = taskId: the status filter is a Query.
 */
export const TABLE_KEYS = Object.freeze({ partitionKey: 'pk', sortKey: 'sk' });

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const INDEXES = Object.freeze({
  byStatus: { indexName: 'byStatus', partitionKey: 'statusKey', sortKey: 'sk' },
} satisfies Record<string, IndexDefinition>);

/**
 * Items that expire (idempotency records) carry their expiry here as epoch seconds. The table's TTL is set
 * on this attribute in the cloud; readers also check it in code, since TTL deletes lazily and dynalite
 * has none.
 */
export const TTL_ATTRIBUTE = 'expiresAt';

export const taskPartitionKey = (ownerId: string): string => `T#${ownerId}`;
/** Idempotency records: `pk` = `I#<ownerId>`, `sk` = the client's Idempotency-Key. */
export const idempotencyPartitionKey = (ownerId: string): string => `I#${ownerId}`;
export const statusPartitionKey = (ownerId: string, status: string): string => `T#${ownerId}#${status}`;
