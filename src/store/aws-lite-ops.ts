import { setTimeout as sleep } from 'node:timers/promises';
import awsLite from '@aws-lite/client';
import dynamodbPlugin from '@aws-lite/dynamodb';
import { assertBefore, beforeDeadline, type Deadline } from '../domain/deadline.js';
import { StoreThrottledError, StoreUnavailableError } from '../domain/errors.js';
import { type DocumentOps, type Item, storeFailureOf } from './document-ops.js';

/**
 * The document operations over @aws-lite/client and its DynamoDB plugin: a fraction of the AWS SDK's size
 * and import time, which is most of this service's cold start. aws-lite (un)marshals items, keys and
 * expression values itself; only the paging keys, which the plugin passes through raw, are converted here.
 */

/**
 * aws-lite can neither time out nor abort a request, and its own retries would carry on after the caller
 * has been answered: a write retried in the background after a 503 would land unseen. So aws-lite makes
 * one attempt, and this adapter retries: at most 3 attempts, with jittered backoff, each started only
 * before the request's deadline (the one every store call of the request shares, `domain/deadline.ts`).
 * The caller gets a fast 503 at the deadline, and nothing is sent after it.
 */
export const AWS_LITE_LIMITS = Object.freeze({ attempts: 3, backoffMs: 40 });

type Wire = Record<string, unknown>;
type Method = (input: Wire) => Promise<Wire>;

/** The plugin methods this adapter calls, typed narrowly (the plugin ships no types). */
export interface AwsLiteDynamo {
  readonly GetItem: Method;
  readonly PutItem: Method;
  readonly UpdateItem: Method;
  readonly DeleteItem: Method;
  readonly Query: Method;
  readonly BatchGetItem: Method;
}

export interface AwsLiteOptions {
  readonly region: string;
  /** A local endpoint (dynalite); undefined means the AWS default for the region. */
  readonly endpoint: string | undefined;
}

/** Creates the client lazily: the returned promise settles on first use, not at import. */
export async function makeAwsLiteDynamo({ region, endpoint }: AwsLiteOptions): Promise<AwsLiteDynamo> {
  const client = await awsLite({
    region,
    plugins: [dynamodbPlugin],
    autoloadPlugins: false,
    keepAlive: true,
    retries: 0,
    ...(endpoint && { endpoint, accessKeyId: 'local', secretAccessKey: 'local' }),
    ...({ awsjsonMarshall: { removeUndefinedValues: true } } as object),
  });
  return (client as unknown as { DynamoDB: AwsLiteDynamo }).DynamoDB;
}

/** Paging keys hold only strings and numbers (table and index key attributes). */
function keyToWire(key: Item): Wire {
  const wire: Wire = {};
  for (const [name, value] of Object.entries(key))
    wire[name] = typeof value === 'number' ? { N: String(value) } : { S: String(value) };
  return wire;
}

function keyFromWire(wire: Wire): Item {
  const key: Item = {};
  for (const [name, value] of Object.entries(wire)) {
    const attribute = value as { S?: string; N?: string };
    key[name] = attribute.N !== undefined ? Number(attribute.N) : attribute.S;
  }
  return key;
}

/** Maps aws-lite failures onto the store's error model; the original error is kept as `cause`. */
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
      const pause = Math.random() * AWS_LITE_LIMITS.backoffMs * 2 ** tries;
      if (!isRetryable(error) || tries >= AWS_LITE_LIMITS.attempts || Date.now() + pause >= deadline.at)
        throw error;
      await sleep(pause);
    }
  }
}

/** The document operations over aws-lite; `client` may still be initialising. */
export function awsLiteDocumentOps(client: Promise<AwsLiteDynamo> | AwsLiteDynamo): DocumentOps {
  const ready = Promise.resolve(client);
  // Keeps an early failure from being reported as unhandled before the first operation awaits it.
  ready.catch(() => undefined);
  const call = (name: keyof AwsLiteDynamo, input: object, deadline: Deadline) => {
    const send = async () => {
      const db = await ready.catch(translate);
      assertBefore(deadline); // the last check before each attempt is sent
      try {
        return await db[name](input as Wire);
      } catch (error) {
        return translate(error);
      }
    };
    return beforeDeadline(attempt(send, deadline), deadline);
  };
  return {
    async put(input, deadline) {
      await call('PutItem', input, deadline);
    },
    async get(input, deadline) {
      const { Item } = await call('GetItem', { ...input, ConsistentRead: true }, deadline);
      return Item as Item | undefined;
    },
    async update(input, deadline) {
      const { Attributes } = await call('UpdateItem', { ...input, ReturnValues: 'ALL_NEW' }, deadline);
      return (Attributes as Item | undefined) ?? {};
    },
    async delete(input, deadline) {
      const { Attributes } = await call('DeleteItem', { ...input, ReturnValues: 'ALL_OLD' }, deadline);
      return Attributes as Item | undefined;
    },
    async query({ ExclusiveStartKey, ...input }, deadline) {
      const { Items, LastEvaluatedKey } = await call(
        'Query',
        { ...input, ...(ExclusiveStartKey && { ExclusiveStartKey: keyToWire(ExclusiveStartKey) }) },
        deadline,
      );
      return {
        items: (Items as Item[] | undefined) ?? [],
        ...(LastEvaluatedKey !== undefined && { lastEvaluatedKey: keyFromWire(LastEvaluatedKey as Wire) }),
      };
    },
    async batchGet({ TableName, Keys }, deadline) {
      const found: Item[] = [];
      let pending = [...Keys];
      for (let round = 0; pending.length > 0; round++) {
        // DynamoDB may leave keys unprocessed under load: ask again for those, briefly backed off.
        if (round > 0) await new Promise((wake) => setTimeout(wake, Math.min(25 * 2 ** round, 200)));
        // The plugin marshals the keys in place, so each round gets copies.
        const request = { RequestItems: { [TableName]: { Keys: pending.map((key) => ({ ...key })) } } };
        const reply = (await call('BatchGetItem', request, deadline)) as {
          Responses?: Record<string, Item[]>;
          UnprocessedKeys?: Record<string, { Keys?: Item[] }>;
        };
        found.push(...(reply.Responses?.[TableName] ?? []));
        pending = reply.UnprocessedKeys?.[TableName]?.Keys ?? [];
      }
      return found;
    },
  };
}
