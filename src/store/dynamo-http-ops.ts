/**
 * The document operations over DynamoDB's own HTTP API: one signed request per call (src/aws), items
 * (un)marshalled by the SDK's `@aws-sdk/util-dynamodb`, the same shape the SDK's document client sends.
 * One attempt per call, no retries of its own; failures are classified by `storeFailureOf` like every
 * other client's.
 */
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type AwsJsonCall, makeAwsJsonClient } from '../aws/aws-json-client.js';
import { type DocumentOps, type Item, storeFailureOf } from './document-ops.js';

type Wire = Record<string, unknown>;

export interface DynamoHttpOptions {
  readonly region: string;
  /** A local endpoint (dynalite); undefined means the AWS endpoint for the region. */
  readonly endpoint: string | undefined;
}

export function makeDynamoHttpClient({ region, endpoint }: DynamoHttpOptions): AwsJsonCall {
  return makeAwsJsonClient({
    service: 'dynamodb',
    region,
    endpoint,
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
  });
}

const toWire = (item: Readonly<Item>) => marshall(item, { removeUndefinedValues: true }) as Wire;
const fromWire = (wire: unknown) => unmarshall(wire as Parameters<typeof unmarshall>[0]);

/** The request with its document-shaped parts (items, keys, expression values) in DynamoDB's wire shape. */
function wireRequest(input: object): Wire {
  const wire: Wire = { ...input };
  for (const name of ['Item', 'Key', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const) {
    const value = (input as Record<string, Item | undefined>)[name];
    if (value !== undefined) wire[name] = toWire(value);
  }
  return wire;
}

/** Maps the client's failures onto the store's error model; the original error is kept as `cause`. */
function translate(error: unknown): never {
  throw storeFailureOf(error, (error as { statusCode?: number }).statusCode);
}

/** The document operations over `call` (one per container, from `makeDynamoHttpClient`). */
export function dynamoHttpDocumentOps(call: AwsJsonCall): DocumentOps {
  const send = (operation: string, input: object) => call(operation, wireRequest(input)).catch(translate);
  return {
    async put(input) {
      await send('PutItem', input);
    },
    async get(input) {
      const { Item } = await send('GetItem', { ...input, ConsistentRead: true });
      return Item === undefined ? undefined : fromWire(Item);
    },
    async update(input) {
      const { Attributes } = await send('UpdateItem', { ...input, ReturnValues: 'ALL_NEW' });
      return Attributes === undefined ? {} : fromWire(Attributes);
    },
    async delete(input) {
      const { Attributes } = await send('DeleteItem', { ...input, ReturnValues: 'ALL_OLD' });
      return Attributes === undefined ? undefined : fromWire(Attributes);
    },
    async query(input) {
      const { Items, LastEvaluatedKey } = await send('Query', input);
      return {
        items: ((Items as unknown[] | undefined) ?? []).map(fromWire),
        ...(LastEvaluatedKey !== undefined && { lastEvaluatedKey: fromWire(LastEvaluatedKey) }),
      };
    },
  };
}
