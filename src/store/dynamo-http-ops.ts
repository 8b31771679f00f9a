/**
 * The document operations over DynamoDB's own HTTP API: one signed request per attempt (src/aws), items
 * (un)marshalled by the SDK's `@aws-sdk/util-dynamodb`, the same shape the SDK's document client sends.
 * Failures are classified by `storeFailureOf` like every other client's.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type AwsJsonCall, makeAwsJsonClient } from '../aws/aws-json-client.js';
import { assertBefore, beforeDeadline, type Deadline } from '../domain/deadline.js';
import { StoreThrottledError, StoreUnavailableError } from '../domain/errors.js';
import { type DocumentOps, type Item, storeFailureOf } from './document-ops.js';

/**
 * At most 3 attempts, with jittered backoff, each started only before the request's deadline (the one
 * every store call of a request shares, `domain/deadline.ts`); a request still in flight at the deadline
 * is abandoned and its socket closed. The caller gets a fast 503 at the deadline, and nothing is sent
 * after it.
 */
export const DYNAMO_HTTP_LIMITS = Object.freeze({ attempts: 3, backoffMs: 40 });

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

const isRetryable = (error: unknown) =>
  error instanceof StoreUnavailableError || error instanceof StoreThrottledError;

/**
 * Retries transient failures while the deadline allows. No attempt starts after it, and a backoff that
 * would end after it is not waited out: the store's own error is the better answer then (a 429 stays one).
 */
async function attempt<T>(run: () => Promise<T>, deadline: Deadline): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await run();
    } catch (error) {
      const pause = Math.random() * DYNAMO_HTTP_LIMITS.backoffMs * 2 ** tries;
      if (!isRetryable(error) || tries >= DYNAMO_HTTP_LIMITS.attempts || Date.now() + pause >= deadline.at)
        throw error;
      await sleep(pause);
    }
  }
}

/** The document operations over `call` (one per container, from `makeDynamoHttpClient`). */
export function dynamoHttpDocumentOps(call: AwsJsonCall): DocumentOps {
  const send = (operation: string, input: object, deadline: Deadline) => {
    const once = () => {
      assertBefore(deadline); // the last check before each attempt is sent
      return call(operation, wireRequest(input), deadline.at).catch(translate);
    };
    return beforeDeadline(attempt(once, deadline), deadline);
  };
  return {
    async put(input, deadline) {
      await send('PutItem', input, deadline);
    },
    async get(input, deadline) {
      const { Item } = await send('GetItem', { ...input, ConsistentRead: true }, deadline);
      return Item === undefined ? undefined : fromWire(Item);
    },
    async update(input, deadline) {
      const { Attributes } = await send('UpdateItem', { ...input, ReturnValues: 'ALL_NEW' }, deadline);
      return Attributes === undefined ? {} : fromWire(Attributes);
    },
    async query(input, deadline) {
      const { Items, LastEvaluatedKey } = await send('Query', input, deadline);
      return {
        items: ((Items as unknown[] | undefined) ?? []).map(fromWire),
        ...(LastEvaluatedKey !== undefined && { lastEvaluatedKey: fromWire(LastEvaluatedKey) }),
      };
    },
    async batchGet({ TableName, Keys }, deadline) {
      const found: Item[] = [];
      let pending: unknown[] = Keys.map(toWire);
      for (let round = 0; pending.length > 0; round++) {
        // DynamoDB may leave keys unprocessed under load: ask again for those, briefly backed off, and
        // never past the deadline (the next `send` refuses to start then).
        if (round > 0) await sleep(Math.min(25 * 2 ** round, 200));
        const request = { RequestItems: { [TableName]: { Keys: pending } } };
        const { Responses, UnprocessedKeys } = await send('BatchGetItem', request, deadline);
        const responses = Responses as Record<string, unknown[]> | undefined;
        const unprocessed = UnprocessedKeys as Record<string, { Keys?: unknown[] }> | undefined;
        found.push(...(responses?.[TableName] ?? []).map(fromWire));
        pending = unprocessed?.[TableName]?.Keys ?? [];
      }
      return found;
    },
  };
}
