import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  ScanCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Item } from '../store/document-ops.js';
import { upgradeItem } from '../store/upgrade.js';

/** An index as compared: its name, keys and projection; a table whose set differs is rebuilt. */
const shapeOf = (indexes: readonly GlobalSecondaryIndexDescription[] | undefined) =>
  JSON.stringify(
    (indexes ?? [])
      .map((index) => [
        index.IndexName,
        index.KeySchema?.map((k) => k.AttributeName),
        index.Projection?.ProjectionType,
      ])
      .sort(),
  );

export const needsRebuild = (table: TableDescription, wanted: CreateTableCommandInput): boolean =>
  shapeOf(table.GlobalSecondaryIndexes) !== shapeOf(wanted.GlobalSecondaryIndexes);

async function scanAll(client: DynamoDBClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ...(start && { ExclusiveStartKey: start as never }) }),
    );
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function writeAll(client: DynamoDBClient, tableName: string, items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item) } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 10) throw new Error(`could not write ${requests.length} items back into ${tableName}`);
      const { UnprocessedItems } = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

/**
 * Rebuilds a local table whose indexes are not today's (dynalite cannot add or change an index in place):
 * every item is read, kept in `backupPath` until the rebuilt table holds it again, and written back as
 * today's code writes it (`upgradeItem`). A start that finds the backup (the last one died half-way)
 * finishes the job from it, so no step loses data.
 */
export async function rebuildTable(
  client: DynamoDBClient,
  definition: CreateTableCommandInput,
  backupPath: string,
  existing: TableDescription | undefined,
): Promise<{ items: number }> {
  const tableName = definition.TableName ?? '';
  let items: Item[];
  if (existsSync(backupPath)) items = JSON.parse(readFileSync(backupPath, 'utf8')) as Item[];
  else {
    items = existing ? await scanAll(client, tableName) : [];
    writeFileSync(`${backupPath}.partial`, JSON.stringify(items));
    renameSync(`${backupPath}.partial`, backupPath);
  }
  if (existing) await client.send(new DeleteTableCommand({ TableName: tableName }));
  await client.send(new CreateTableCommand(definition));
  await writeAll(client, tableName, items.map(upgradeItem));
  rmSync(backupPath);
  return { items: items.length };
}
